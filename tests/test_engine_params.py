"""One place decides a picture's parameters: engine.params, used by the worker and the command line."""

from __future__ import annotations

import pytest
import torch

from engine.cli import build_parser
from engine.device import share_cpu, usable_cpus
from engine.params import BUDGETS, StyleParams, params_for, user_fields
from stylebot.choices import DEFAULT_STRENGTH, Size, Strength
from stylebot.settings import Settings

CPU, CUDA = torch.device("cpu"), torch.device("cuda")


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_each_device_gets_its_budget_for_each_size() -> None:
    for device, budget in ((CPU, BUDGETS["cpu"]), (CUDA, BUDGETS["cuda"])):
        standard = params_for(device, Size.STANDARD, settings())
        large = params_for(device, Size.LARGE, settings())
        assert (standard.max_side, standard.steps) == (budget.max_side, budget.steps)
        assert (large.max_side, large.steps) == (budget.large_side, budget.steps)
        assert standard.strength == DEFAULT_STRENGTH


def test_settings_override_the_budget_and_arguments_override_the_settings() -> None:
    operator = settings(engine_max_side=100, engine_steps=7, engine_large_side=150)
    assert (
        params_for(CPU, Size.STANDARD, operator).max_side,
        params_for(CPU, Size.LARGE, operator).max_side,
    ) == (
        100,
        150,
    )
    chosen = params_for(CPU, Size.LARGE, operator, max_side=64, steps=None, strength=Strength.LIGHT)
    assert (chosen.max_side, chosen.steps, chosen.strength) == (64, 7, Strength.LIGHT)  # None: not given
    # A large side set below the standard one never makes "large" the smaller picture.
    assert params_for(CPU, Size.LARGE, settings(engine_max_side=500, engine_large_side=200)).max_side == 500
    with pytest.raises(TypeError, match="unknown parameters"):
        params_for(CPU, Size.STANDARD, operator, stepz=3)


def test_every_user_field_is_a_command_line_option_with_its_default_shown_once() -> None:
    stylize = build_parser()._subparsers._group_actions[0].choices["stylize"]  # type: ignore[union-attr]
    options = {action.dest: action for action in stylize._actions}
    for spec in user_fields():
        assert spec.name in options, spec.name
        assert options[spec.name].default is None  # "not given": params_for decides
        assert options[spec.name].help.count("default:") == 1, options[spec.name].help
    assert str(BUDGETS["cpu"].max_side) in options["max_side"].help
    assert str(BUDGETS["cuda"].steps) in options["steps"].help
    assert f"default: {StyleParams().seed}" in options["seed"].help
    # Tuning knobs for the benchmark are not options.
    assert "history_size" not in options and "optimizer" not in options


def test_command_line_strengths_are_presets_or_progress(capsys: pytest.CaptureFixture[str]) -> None:
    parse = build_parser().parse_args
    assert parse(["stylize", "a", "b", "-o", "c", "--strength", "light"]).strength is Strength.LIGHT
    assert parse(["stylize", "a", "b", "-o", "c", "--strength", "0.75"]).strength == 0.75
    for wrong in ("ultra", "-1", "1.5"):
        with pytest.raises(SystemExit):
            parse(["stylize", "a", "b", "-o", "c", "--strength", wrong])
    assert "a style progress is between 0 and 1" in capsys.readouterr().err


def test_job_loops_share_the_cpus_out_as_torch_threads() -> None:
    before = torch.get_num_threads()
    cpus = usable_cpus()
    try:
        assert share_cpu(1) == cpus == torch.get_num_threads()  # one loop: every CPU
        assert share_cpu(cpus) == 1 == torch.get_num_threads()  # a loop per CPU: one each
        assert share_cpu(4 * cpus) == 1  # more loops than CPUs: still one thread, never none
        assert share_cpu(2, threads=3) == 3 == torch.get_num_threads()  # ENGINE_THREADS wins
    finally:
        torch.set_num_threads(before)
