"""Event dates against fixed article dates (2020-06-08 is a Monday)."""

import pytest

from telex.event_dates import is_background, parse_expression
from telex.records import PartialDate

MONDAY = PartialDate(2020, 6, 8)

CASES = [
    ("dimanche", MONDAY, "2020-06-07"),
    ("dimanche dernier", MONDAY, "2020-06-07"),
    ("lundi", MONDAY, "2020-06-08"),
    ("lundi dernier", MONDAY, "2020-06-01"),
    ("lundi prochain", MONDAY, "2020-06-15"),
    ("jeudi soir", MONDAY, "2020-06-04"),
    ("mardi matin", MONDAY, "2020-06-02"),
    ("vendredi passé", MONDAY, "2020-06-05"),
    ("dans la nuit de samedi à dimanche", MONDAY, "2020-06-06"),
    ("hier", MONDAY, "2020-06-07"),
    ("avant-hier", MONDAY, "2020-06-06"),
    ("aujourd'hui", MONDAY, "2020-06-08"),
    ("demain", MONDAY, "2020-06-09"),
    ("il y a deux jours", MONDAY, "2020-06-06"),
    ("il y a 10 jours", MONDAY, "2020-05-29"),
    ("il y a trois semaines", MONDAY, "2020-05-18"),
    ("il y a deux mois", MONDAY, "2020-04"),
    ("il y a cinq ans", MONDAY, "2015"),
    ("la semaine dernière", MONDAY, "2020-06-01"),
    ("la semaine prochaine", MONDAY, "2020-06-15"),
    ("le mois dernier", MONDAY, "2020-05"),
    ("l'an dernier", MONDAY, "2019"),
    ("l'année dernière", MONDAY, "2019"),
    ("ces dernières semaines", MONDAY, "2020-06"),
    ("le 4 juin", MONDAY, "2020-06-04"),
    ("le 1er mai", MONDAY, "2020-05-01"),
    ("le 12 janvier", MONDAY, "2020-01-12"),
    ("le 25 décembre", MONDAY, "2019-12-25"),
    ("le 3 mars 2019", MONDAY, "2019-03-03"),
    ("jeudi 4 juin", MONDAY, "2020-06-04"),
    ("le 03/04/2019", MONDAY, "2019-04-03"),
    ("en mai", MONDAY, "2020-05"),
    ("en décembre", MONDAY, "2019-12"),
    ("en mai 2018", MONDAY, "2018-05"),
    ("fin février", MONDAY, "2020-02"),
    ("début mars", MONDAY, "2020-03"),
    ("mi-avril", MONDAY, "2020-04"),
    ("en 2011", MONDAY, "2011"),
    ("ISTANBUL, 23 mai", MONDAY, "2020-05-23"),
    ("le 31 août", PartialDate(2021, 9, 2), "2021-08-31"),
    ("samedi", PartialDate(2022, 1, 1), "2022-01-01"),
    ("vendredi", PartialDate(2022, 1, 1), "2021-12-31"),
    ("en novembre", PartialDate(2022, 1), "2021-11"),
    ("en janvier", PartialDate(2022, 1), "2022-01"),
]


@pytest.mark.parametrize("text,article,expected", CASES)
def test_expression(text, article, expected):
    assert parse_expression(text, article).iso() == expected


def test_future_statements_look_ahead():
    assert parse_expression("jeudi", MONDAY, future=True).iso() == "2020-06-11"
    assert parse_expression("en janvier", PartialDate(2020, 11, 3), future=True).iso() == "2021-01"


def test_weekdays_need_a_day_precise_article():
    assert parse_expression("dimanche", PartialDate(2020, 6)) is None
    assert parse_expression("le 4 juin", PartialDate(2020, 6)).iso() == "2020-06-04"


def test_no_date():
    assert parse_expression("la Turquie soutient le gouvernement", MONDAY) is None


def test_background():
    assert is_background(PartialDate(2011), PartialDate(2020, 1))
    assert not is_background(PartialDate(2019, 12), PartialDate(2020, 1))
    assert is_background(PartialDate(2018, 3, 1), PartialDate(2020, 1, 5))
