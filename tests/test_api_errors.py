"""Which failures are the user's (422) and which are ours (500, logged with the traceback), over real HTTP.

Only an :class:`~innograph.errors.InvalidRequestError` is taken for a bad request; a bare
``ValueError`` from inside a computation is a bug and must not hide behind a 422. The pages
follow the same rule with HTML error pages.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from innograph.api.pages import gaps as gaps_page
from innograph.api.routers import gaps as gaps_router
from innograph.graph.store import Store
from tests.helpers import KEY, LiveServer, api_get, load_consortia


def _broken(*_: object, **__: object) -> None:
    raise ValueError("a bug deep inside a computation")


def test_a_bare_value_error_is_a_logged_500_in_the_one_shape(
    live_api: LiveServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(gaps_router, "analysis_of", _broken)
    with caplog.at_level(logging.ERROR, logger="innograph.api"):
        response = api_get(live_api, "/gaps")
    assert response.status_code == 500
    message = "internal error; see the server log"
    assert response.json() == {"error": {"status": 500, "code": "internal_error", "message": message, "details": []}}
    [record] = [r for r in caplog.records if r.name == "innograph.api"]
    assert record.levelno == logging.ERROR and "/gaps" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ValueError
    assert "a bug deep inside a computation" in caplog.text and "Traceback" in caplog.text


def test_a_bare_value_error_on_a_page_is_a_logged_500_page(
    live_api: LiveServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(gaps_page, "current_analysis", _broken)
    with caplog.at_level(logging.ERROR, logger="innograph.pages"):
        response = httpx.get(live_api.url + "/gaps/view", cookies={"innograph_key": KEY["viewer"]}, timeout=60)
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert "Internal error; see the server log." in response.text
    assert "a bug deep inside" not in response.text
    [record] = [r for r in caplog.records if r.name == "innograph.pages"]
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_contradictory_parameters_are_a_422_in_the_one_shape(live_api: LiveServer, store: Store) -> None:
    load_consortia(store)
    response = api_get(live_api, "/paths", **{"from": "a", "to": "a"})
    assert response.status_code == 422
    message = "target must differ from source"
    assert response.json() == {"error": {"status": 422, "code": "invalid_request", "message": message, "details": []}}


def test_a_word_the_partner_need_refuses_is_a_422_naming_it(live_api: LiveServer, store: Store) -> None:
    load_consortia(store)
    response = api_get(live_api, "/partners", **{"for": "a", "keywords": ["laser", " "]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"].startswith("keywords.1: ")


def test_a_bad_year_on_the_path_page_is_a_422_page(live_api: LiveServer, store: Store) -> None:
    load_consortia(store)
    response = httpx.get(
        live_api.url + "/path",
        params={"a": "a", "b": "g", "since": "20x"},
        cookies={"innograph_key": KEY["viewer"]},
        timeout=60,
    )
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "Projects since: give a year such as 2018, or leave it empty" in response.text
