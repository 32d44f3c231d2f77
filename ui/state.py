"""Per-session state and shared resources. Uploads live in the uploader's session only."""

from __future__ import annotations

import gc
import threading

import streamlit as st

from atlas import i18n, security
from atlas.draw.compose import compose_fixed
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.keep import Store, get_store
from atlas.ogp import register_stats
from atlas.values import datasets
from atlas.values.datasets import DatasetTable
from ui.common import lang

_SETTLED = threading.Event()

USER_DATASETS = "user_datasets"
EDITOR_KEY = "editor_key"


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """One thread-safe store (SQLite file by default, PostgreSQL via ACHYK_DATABASE_URL) per process."""
    opened = get_store()
    # The map builder's "NGO activity register" dataset reads this store's visible entries.
    datasets.set_register_source(lambda: register_stats.builder_frame(opened.list_entries()))
    return opened


def settle() -> None:
    """Once per process, before the first page: load what every page shares (boundaries, gazetteers,
    the official catalogue, the first map in each language and at both levels), then ``gc.freeze()`` it,
    so Python's collector never sweeps those long-lived objects again (a full sweep of them took about
    160 ms with the GIL held). A session's own objects stay collectable."""
    if _SETTLED.is_set():
        return
    _SETTLED.set()
    for lg in i18n.LANGS:
        i18n.translator(lg)
        for dataset, column, level in (("regions", "population", 1), ("elevation_rayons", "elev_median_m", 2)):
            try:
                compose_fixed(ViewSpec(dataset=dataset, column=column, aggregation="mean", normalisation="none",
                                       level=level, lang=lg)).view.deck()
            except UserError:  # warming is best effort: a page still builds what it needs
                pass
    gc.collect()
    gc.freeze()


def user_datasets() -> dict[str, DatasetTable]:
    """This session's matched uploads, by key ``upload:<sha256>``. Never shared between sessions."""
    return st.session_state.setdefault(USER_DATASETS, {})


def add_user_dataset(table: DatasetTable) -> None:
    user_datasets()[table.key] = table


def dataset_table(key: str) -> DatasetTable | None:
    """A built-in dataset (an official series labelled in the current language), or one of this session's
    uploads; None when the key is unknown here."""
    if datasets.is_builtin(key):
        store()  # opening the store attaches the live register (the "ngo_register" dataset)
        try:
            return datasets.builtin_table(key, lang())
        except UserError:
            return None
    return user_datasets().get(key)


def editor_key() -> str:
    """This browser session's editor key: it lets the session edit what it created."""
    if EDITOR_KEY not in st.session_state:
        st.session_state[EDITOR_KEY] = security.new_editor_key()
    return st.session_state[EDITOR_KEY]
