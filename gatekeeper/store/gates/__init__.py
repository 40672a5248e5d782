"""Tables of gate reviews, votes, conflicts of interest, gate decisions and their conditions."""
