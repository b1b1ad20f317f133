"""The rules of kesu_app as plain Python.

Nothing in this package imports ``frappe``: working-time deadlines, the tier policy and the
other rules are tested in milliseconds anywhere, and the Frappe controllers, jobs and reports
are thin glue that feed them data read from the site.
"""
