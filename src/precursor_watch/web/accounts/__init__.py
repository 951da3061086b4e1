"""Accounts of the console: roles and what each may do, password hashing, users, sessions, tokens.

Nothing here imports FastAPI, so the ``precursor-watch users`` command can use it too.
"""
