"""`make bench`: a benchmark of the search and listing pages on PostgreSQL (issue #4).

Not a test suite: pytest collects nothing here (no test_ files). See README.md.
"""
