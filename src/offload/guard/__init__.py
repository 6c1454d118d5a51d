"""Enforcement: find generated artifacts and credentials in staged changes, ranges and trees.

The hook path (``offload.guard.hook``) imports only the standard library's cheapest modules:
no boto3, click, yaml, re, typing, dataclasses or subprocess.
"""
