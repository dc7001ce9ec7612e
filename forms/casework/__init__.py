"""The staff's side: the review flow, who may act, the case views and exports, deadlines and access records."""
