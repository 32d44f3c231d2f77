"""Streamlit glue shared by the pages: language, translation, cached loaders, common widgets."""
