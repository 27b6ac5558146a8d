"""Listing secret groups through the SDK's own paging (API.md sections 1 and 4).

The SDK's `.all()` keeps requesting while `pagination.hasNextPage` is true or a `cursor` is present,
sending the original query plus `cursor=<cursor>` (or `page=<n+1>` when there is no cursor). It
concatenates `data.secrets` of every page.
"""

from __future__ import annotations

import math
import random

import pytest

from support import expect_error, group_body, new_project

GROUPS = 130  # more than one page even at the largest page size (100)
SUMMARY_FIELDS = {"id", "projectId", "name", "tags", "type", "secretType", "priority", "restrictions"}


@pytest.fixture(scope="module")
def big_project(client):
    """A project with GROUPS groups, written in random order so the id order must come from the server."""
    project = new_project(client)
    names = [f"Group {i:03d}" for i in range(GROUPS)]
    random.Random(7).shuffle(names)
    for index, name in enumerate(names):
        client.put.secret(
            project_id=project,
            data=group_body(name, priority=index % 101, secrets={"variables": {"VALUE": f"v{index}"}}),
        )
    return project, sorted(f"group-{i:03d}" for i in range(GROUPS))


@pytest.mark.parametrize("per_page", [None, 100, 7])
def test_all_returns_every_group_once_sorted_by_id(client, big_project, per_page):
    project, ids = big_project
    response = client.list.secrets.all(project_id=project, per_page=per_page)
    listed = [summary["id"] for summary in response.data["secrets"]]
    assert listed == ids


def test_summaries_carry_no_values(client, big_project):
    project, _ = big_project
    page = client.list.secrets(project_id=project, per_page=5)
    for summary in page.data["secrets"]:
        assert SUMMARY_FIELDS <= set(summary), summary
        assert "secrets" not in summary
        assert summary["projectId"] == project


def test_list_data_has_only_the_secrets_key(client, big_project):
    """`.all()` only concatenates when `data` holds exactly one key whose value is a list."""
    project, _ = big_project
    page = client.list.secrets(project_id=project, per_page=5)
    assert list(page.data) == ["secrets"]


def test_pages_follow_the_cursor_until_it_is_absent(client, big_project):
    project, ids = big_project
    page = client.list.secrets(project_id=project)
    seen, pages = [], 0
    while True:
        pages += 1
        seen += [summary["id"] for summary in page.data["secrets"]]
        assert page.pagination is not None, "every list answer carries pagination"
        assert page.pagination.count == len(page.data["secrets"])
        if not page.pagination.has_next_page:
            assert page.pagination.cursor is None, "the last page has no cursor (or the SDK keeps paging)"
            break
        assert page.pagination.cursor, "a page with a next page carries a cursor"
        assert len(page.data["secrets"]) == 50, "default per_page is 50"
        page = page.pagination.get_next_page()
    assert seen == ids
    assert pages == math.ceil(GROUPS / 50)


def test_per_page_is_clamped_to_100(client, big_project):
    project, ids = big_project
    page = client.list.secrets(project_id=project, per_page=1000)
    assert [s["id"] for s in page.data["secrets"]] == ids[:100]
    assert page.pagination.count == 100
    assert page.pagination.has_next_page


def test_page_parameter_is_one_based(client, big_project):
    project, ids = big_project
    page = client.list.secrets(project_id=project, page=3, per_page=10)
    assert [s["id"] for s in page.data["secrets"]] == ids[20:30]


def test_cursor_wins_over_an_initial_page(client, big_project):
    """`.all(page=1)` sends page=1 on every request next to the cursor: the cursor must win."""
    project, ids = big_project
    response = client.list.secrets.all(project_id=project, page=1, per_page=40)
    assert [s["id"] for s in response.data["secrets"]] == ids


def test_empty_project(client, project):
    page = client.list.secrets(project_id=project)
    assert page.data == {"secrets": []}
    assert page.pagination is not None
    assert page.pagination.has_next_page is False
    assert page.pagination.cursor is None
    assert page.pagination.count == 0
    assert client.list.secrets.all(project_id=project).data == {"secrets": []}


def test_cursor_stays_valid_while_groups_change(client, project):
    names = [f"Item {i:02d}" for i in range(30)]
    for name in names:
        client.put.secret(project_id=project, data=group_body(name))
    first = client.list.secrets(project_id=project, per_page=10)
    first_ids = [s["id"] for s in first.data["secrets"]]
    assert first_ids == [f"item-{i:02d}" for i in range(10)]

    # change the set behind the cursor: remove one already seen and one not yet seen, add before and after
    client.delete.secret(project_id=project, secret_id="item-03")
    client.delete.secret(project_id=project, secret_id="item-15")
    client.put.secret(project_id=project, data=group_body("Aaa First"))
    client.put.secret(project_id=project, data=group_body("Item 15b"))

    rest = []
    page = first
    while page.pagination.has_next_page:
        page = page.pagination.get_next_page()
        rest += [s["id"] for s in page.data["secrets"]]
    survivors = [f"item-{i:02d}" for i in range(10, 30) if i != 15]
    assert len(rest) == len(set(rest)), "no group twice"
    assert not set(rest) & set(first_ids), "nothing from the first page again"
    assert "item-15" not in rest, "a deleted group is not listed"
    assert [i for i in rest if i in survivors] == survivors, "no surviving group skipped"
    assert rest == sorted(rest)


def test_unknown_project_is_404(client):
    expect_error(404, lambda: client.list.secrets(project_id="nope"), "Project 'nope' not found")
    expect_error(404, lambda: client.list.secrets.all(project_id="nope"), "Project 'nope' not found")
