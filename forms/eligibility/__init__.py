"""Eligibility: rules per service item, the policy calculator, 我的待遇 and 免申即享."""
