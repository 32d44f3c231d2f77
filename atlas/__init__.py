"""Achyk Atlas: the logic behind the app. Plain Python; this package never imports streamlit."""
