"""clusterhub's analytics core: plain Python, never imports Django.

Services in the Django apps load data, call these functions and persist the results.
"""
