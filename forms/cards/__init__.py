"""The digital talent card (港湾卡): signed tokens, the card page, public
verification and partner organisations (docs/cards.md)."""
