"""Case work the investigator records: the decision log, lines of enquiry, intelligence
reports entered by hand, and what a case conference is shown.

Each module is plain core code (no Qt): every change goes through one function
that validates it, writes it in one transaction and appends to the audit chain.
"""
