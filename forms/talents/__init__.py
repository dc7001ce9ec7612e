"""The talent database (人才库): profiles of recognised talents, lookups and roster imports."""
