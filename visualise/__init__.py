"""The accountability network (networkx) and its measures, and the report rendered for people. Interactive
network pages (pyvis) are still to come."""
