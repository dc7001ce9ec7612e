"""The applicant's side: drafts, steps, uploads, submission, following a case and answering supplement requests."""
