"""practices.tag_reference: every tag a school can choose has reference texts to be suggested by."""
from __future__ import annotations

from practices import tag_reference, vocab


def test_every_vocabulary_tag_has_its_label_and_a_description():
    for references, table in ((tag_reference.theme_references(), vocab.THEMES),
                              (tag_reference.pillar_references(), vocab.PILLARS),
                              (tag_reference.issue_references(), vocab.EMERGING_ISSUES)):
        assert set(references) == set(table)
        for key, texts in references.items():
            assert texts[0] == str(table[key]) and len(texts) >= 2


def test_every_sdg_target_and_goal_has_its_official_wording():
    targets = tag_reference.sdg_target_references()
    goals = tag_reference.sdg_goal_references()

    assert list(targets) == list(vocab.SDG_TARGETS)
    assert targets["4.7"][0].startswith("By 2030, ensure that all learners acquire the knowledge")
    assert goals[4][1] == ("Ensure inclusive and equitable quality education and promote "
                           "lifelong learning opportunities for all")
    assert len(goals[17]) == 2 + 19  # short name, Goal, its 19 targets
