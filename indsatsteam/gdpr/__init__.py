"""GDPR: retention of personal data, the profile page with Art. 15 insight, export, deletion."""
