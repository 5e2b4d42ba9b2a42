"""axe-core in the browser: the accessibility rules a page breaks.

axe-core (MPL-2.0) comes pinned inside the ``axe-selenium-python`` package
(requirements-dev.txt), installed with the other packages: nothing is
fetched while the tests run. It is injected through WebDriver, which the
page's Content-Security-Policy does not govern.
"""

from pathlib import Path

# WCAG 2.1 A and AA, and axe's best practices (one h1, landmarks, …).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source():
    import axe_selenium_python

    path = Path(axe_selenium_python.__file__).parent / "node_modules/axe-core/axe.min.js"
    return path.read_text(encoding="utf-8")


def axe_violations(driver):
    """The violations axe finds on the page ``driver`` shows, as ``[(rule, [targets])]``."""
    if not driver.execute_script("return typeof window.axe !== 'undefined';"):
        driver.execute_script(axe_source())
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(results => done(results.violations.map(v => [v.id + ': ' + v.help,"
        " v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)])))"
        ".catch(error => done([['axe failed', [String(error)]]]));",
        TAGS,
    )
    return [(rule, targets) for rule, targets in results]


def report(found):
    """``{page: violations}`` as lines to read in a failed assertion."""
    lines = []
    for page, violations in found.items():
        for rule, targets in violations:
            lines.append(f"{page}: {rule}")
            lines.extend(f"    {target}" for target in targets[:5])
    return "\n".join(lines)
