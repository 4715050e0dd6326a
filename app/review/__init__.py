"""Review: the National Coordinators' queue and review pages (pages), the workflow action forms
shared by the school's, reviewers' and curators' pages (actions), a practice's file as the
people working on it see it (practice_file), and its revision history (history, diffs)."""
