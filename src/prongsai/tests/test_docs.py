"""The set-up docs stay true to the files they describe."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def pinned_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]


def apt_packages() -> list[str]:
    script = (ROOT / "scripts" / "install").read_text()
    block = re.search(r"APT_PACKAGES=\((.*?)\)", script, re.S).group(1)
    return block.split()


def test_it_pins_every_python_dependency_and_explains_it_in_dependencies_md():
    doc = (ROOT / "docs" / "dependencies.md").read_text()
    requirements = pinned_requirements()
    assert requirements
    for requirement in requirements:
        assert "==" in requirement, f"{requirement} is not pinned"
        name = requirement.split("[")[0].split("==")[0]
        version = requirement.split("==")[1]
        assert f"`{name}" in doc and f"=={version}`" in doc, f"docs/dependencies.md does not explain {requirement}"


def test_it_explains_every_debian_package_that_the_install_script_installs():
    doc = (ROOT / "docs" / "dependencies.md").read_text()
    packages = apt_packages()
    assert "postgresql" in packages and "chromium" in packages
    for package in [*packages, "python3-venv"]:
        assert f"| `{package}`" in doc, f"docs/dependencies.md does not explain {package}"


def test_the_readme_gives_exactly_the_two_set_up_commands():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make \w+", readme, re.M)
    assert commands == ["make run", "make test"]
    assert "(docs/screenshot.png)" in readme
