"""Monitoring the network (issue 12): dashboards of a country, a UNESCO region or the whole
network, with server-drawn charts, their numbers as tables and CSV."""
