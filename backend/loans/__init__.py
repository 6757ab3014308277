"""Loan requests: public submission with an automatic decision, and staff review."""
