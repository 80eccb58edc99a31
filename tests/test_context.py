from __future__ import annotations

from pathlib import Path

import pytest

from guessfirst.kernel import KERNEL
from guessfirst.log import context


def test_the_hub_login_comes_first_then_the_variable_then_configure(monkeypatch):
    context.configure(student="from-code")
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-ana")
    assert context.student() == "hub-ana"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert context.student() == "ana"  # GUESSFIRST_STUDENT, set for every test
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    assert context.student() == "from-code"
    assert not context.typed_by_student()


def test_an_administrator_can_let_the_spawners_id_win_over_the_hub_login(monkeypatch):
    """A school that gives pseudonyms sets GUESSFIRST_STUDENT in the spawner's environment."""
    monkeypatch.setenv("JUPYTERHUB_USER", "ana.lopez")
    monkeypatch.setenv("GUESSFIRST_STUDENT", "s-4f2a")
    assert context.student() == "ana.lopez"
    monkeypatch.setenv("GUESSFIRST_ID_SOURCE", "env")
    assert context.student() == "s-4f2a"
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    assert context.student() == "ana.lopez"


@pytest.mark.parametrize("login", ["jovyan", "root", "  User ", "ubuntu"])
def test_a_generic_login_is_no_name_at_all(monkeypatch, login):
    monkeypatch.setenv("JUPYTERHUB_USER", login)
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    assert context.student() is None
    with pytest.raises(ValueError, match="could be anyone"):
        context.configure(student=login)


def test_a_typed_name_is_remembered_beside_the_logs_until_forgotten(monkeypatch, fresh_kernel):
    monkeypatch.delenv("GUESSFIRST_STUDENT")
    assert context.remember_student("  Ana   María ") == "Ana María"
    KERNEL.reset()  # a new kernel
    assert context.student() == "Ana María" and context.typed_by_student()
    context.forget_student()
    assert context.student() is None


@pytest.mark.parametrize("bad", ["", "   ", "x" * 101])
def test_names_that_cannot_be_used_are_explained(bad):
    with pytest.raises(ValueError, match=r"name|characters"):
        context.remember_student(bad)


def test_log_dir_from_configure_then_variable_then_next_to_the_notebook(
    monkeypatch, tmp_path: Path
):
    monkeypatch.delenv("GUESSFIRST_LOG_DIR")
    monkeypatch.chdir(tmp_path)
    assert context.log_dir() == tmp_path / "guessfirst-logs"
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", "class-logs")
    assert context.log_dir() == tmp_path / "class-logs"
    context.configure(log_dir=tmp_path / "mine")
    assert context.log_dir() == tmp_path / "mine"


def test_notebook_name_comes_from_the_jupyter_server(monkeypatch):
    assert context.notebook_name() is None
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/lessons/fractions.ipynb")
    assert context.notebook_name() == "fractions.ipynb"
