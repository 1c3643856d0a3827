"""The framework files: the shipped ones load; a mistake is named with its file and entry."""

import copy

import pytest
import yaml

from clusterhub.assessment.framework import (
    FrameworkError,
    assessment_framework,
    parse_assessment_framework,
    parse_skill_framework,
    preset_file,
    skill_framework,
)


def test_the_shipped_framework_has_the_six_areas_and_half_its_indicators_from_the_platform():
    framework = assessment_framework()

    assert [a.code for a in framework.areas] == [
        "structure",
        "governance",
        "financing",
        "services",
        "cooperation",
        "achievements",
    ]
    indicators = framework.indicators()
    with_evidence = [i for i in indicators if i.evidence]
    assert len(with_evidence) * 2 >= len(indicators)
    assert framework.reference_percent == 80
    assert all(set(i.text) == {"en", "it"} for i in indicators)


def test_the_shipped_skill_framework_has_a_target_for_each_area():
    skills = skill_framework()

    assert {
        "strategy",
        "facilitation",
        "funding",
        "international",
        "scouting",
        "communication",
    } == {a.code for a in skills.areas}
    assert all(0 < a.target <= skills.max_level for a in skills.areas)


@pytest.fixture
def data():
    return yaml.safe_load(preset_file("assessment.yaml").read_text(encoding="utf-8"))


def _problem(data):
    with pytest.raises(FrameworkError) as error:
        parse_assessment_framework(data, "assessment.yaml")
    return str(error.value)


def test_an_unknown_evidence_source_is_named_with_its_indicator(data):
    data["areas"][0]["indicators"][0]["evidence"] = "members_cuont"

    assert (
        _problem(data) == "assessment.yaml: indicator 'S1': unknown evidence source 'members_cuont'"
    )


def test_thresholds_that_do_not_rise_are_refused(data):
    data["areas"][2]["indicators"][2]["thresholds"] = [5, 5, 10]

    assert _problem(data) == "assessment.yaml: indicator 'F3': thresholds must rise strictly"


def test_a_code_used_twice_is_refused(data):
    data["areas"][1]["indicators"][0]["code"] = "S1"

    assert "area 'governance': indicators[0]: code 'S1' is used twice" in _problem(data)


def test_a_missing_text_and_an_unknown_scale_are_named(data):
    broken = copy.deepcopy(data)
    del broken["areas"][0]["indicators"][5]["text"]
    assert _problem(broken) == (
        "assessment.yaml: indicator 'S6': text: needs a text, or a mapping of language to text"
    )
    data["areas"][0]["indicators"][5]["scale"] = "stars"
    assert _problem(data) == "assessment.yaml: indicator 'S6': scale must be one of levels, numeric"


def test_a_file_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "assessment.yaml"
    path.write_text("areas: [unclosed", encoding="utf-8")

    with pytest.raises(FrameworkError, match=r"assessment.yaml: cannot read the framework"):
        assessment_framework(path)


def test_a_skill_target_beyond_the_levels_is_refused():
    data = yaml.safe_load(preset_file("skills.yaml").read_text(encoding="utf-8"))
    data["areas"][0]["target"] = 9

    with pytest.raises(
        FrameworkError, match=r"skills.yaml: area 'strategy': target must be a level from 0 to 4"
    ):
        parse_skill_framework(data, "skills.yaml")
