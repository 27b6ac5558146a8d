"""Budgets and the Content-Security-Policy: how long a group at the 1,000-variable limit takes to render (measured by
the page itself with the Performance API, reported against its 100 ms budget), and the browser enforcing the policy
the server sends."""

import statistics
import urllib.request

from support import Console

RENDER_BUDGET_MS = 100.0
# The test asserts only a bound ten times the budget: timings on a shared 2-core machine are reported, not asserted
# (a run on a busy machine must not fail), but a render that does per-row layout or per-row listeners takes seconds
# and fails here.
RENDER_SANITY_BOUND_MS = 1000.0


def test_a_group_of_1000_keys_renders_within_budget(console: Console, project: str, capsys):
    variables = {f"KEY_{index:04d}": f"value-{index}-" + "x" * 40 for index in range(1000)}
    console.api.put_group(project, "large", variables)
    console.sign_in()
    durations = []
    for _ in range(6):
        console.open(f"#/projects/{project}")  # away and back, so each visit renders from scratch
        console.open(f"#/projects/{project}/groups/large")
        console.wait_for_text("main h2", "Variables (1000)")
        durations.append(console.driver.execute_script(
            "const m = performance.getEntriesByName('coffer:group-render'); return m[m.length - 1].duration"))
        console.driver.execute_script("performance.clearMeasures(); performance.clearMarks()")
    assert len(console.find_all("main tbody tr")) == 1000
    assert "value-1-" not in console.page_source_text()
    first, later = durations[0], statistics.median(durations[1:])
    verdict = "within" if later < RENDER_BUDGET_MS else "OVER"
    with capsys.disabled():
        print(f"\n[console] group page with 1,000 keys: first visit {first:.1f} ms, later visits median {later:.1f} ms "
              f"({', '.join(f'{d:.1f}' for d in durations[1:])}), {verdict} the {RENDER_BUDGET_MS:.0f} ms budget")
    assert max(durations) < RENDER_SANITY_BOUND_MS


def test_the_browser_enforces_the_policy(console: Console):
    console.sign_in()
    driver = console.driver
    # Trusted Types: no HTML from strings, so a value can never become markup even by mistake.
    refused = driver.execute_script("try { document.body.innerHTML = '<b>x</b>'; return 'accepted'; } catch (e) { return e.name; }")
    assert refused == "TypeError"
    # No inline code either: even an inline handler is refused before it could run.
    refused = driver.execute_script(
        "const b = document.createElement('button');"
        "try { b.setAttribute('onclick', 'window.__ran = 1'); } catch (e) { return e.name; } b.click(); return 'accepted';")
    assert refused == "TypeError"
    # No image (or anything else) from another origin.
    driver.execute_script("const i = document.createElement('img'); i.src = 'http://example.invalid/x.png'; document.body.append(i);")
    console.wait(lambda d: any("img-src" in v for v in d.execute_script("return window.__violations")))
    assert "require-trusted-types-for" in " ".join(driver.execute_script("return window.__violations"))
    assert driver.execute_script("return window.__ran") is None
    # These violations were provoked: clear them so the fixture's check sees only the console's own behaviour.
    driver.execute_script("window.__violations = []; document.querySelectorAll('img[src^=\"http\"]').forEach((e) => e.remove())")
    provoked = ("Content Security Policy", "requires 'Trusted", "example.invalid")
    logs = [entry for entry in driver.get_log("browser") if not any(text in entry["message"] for text in provoked)]
    assert not [entry for entry in logs if entry["level"] == "SEVERE"], logs


def test_every_file_is_served_with_the_policy_and_without_a_token(console: Console):
    with urllib.request.urlopen(console.base_url + "/") as response:
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        page = response.read().decode()
    assert "<script type=\"module\" src=\"/console/app.js\"></script>" in page
