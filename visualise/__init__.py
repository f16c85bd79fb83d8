"""Network views of the accountability graph (networkx, pyvis). Not built yet: see the open issue on the web
server and visual maps."""
