from pathlib import Path

from retorno.accounts.roles import ROLE_CAPABILITIES, Capability, Role

DOC = Path(__file__).resolve().parents[3] / "docs" / "roles.md"


def read_documented_matrix() -> dict[str, set[str]]:
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = header[1:]
    matrix = {role: set() for role in roles}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        capability, marks = cells[0], cells[1:]
        for role, mark in zip(roles, marks, strict=True):
            if mark == "yes":
                matrix[role].add(capability)
    return matrix


def test_the_documented_matrix_is_the_one_in_code():
    documented = read_documented_matrix()
    in_code = {str(role): {str(c) for c in caps} for role, caps in ROLE_CAPABILITIES.items()}
    assert documented == in_code


def test_every_role_and_capability_is_documented():
    documented = read_documented_matrix()
    assert set(documented) == set(Role.values)
    text = DOC.read_text()
    for capability in Capability.values:
        assert f"| {capability} |" in text
