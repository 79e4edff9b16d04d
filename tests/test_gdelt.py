from io import StringIO

from telex import gdelt

GROUP = {
    "group_id": "abc", "date": "2020-06-04", "date_precision": "day", "source_code": "LBYGOV",
    "source_name": "Fayez al-Sarraj", "source_country": "LBY", "source_role": "GOV", "target_code": "IGOUNO",
    "target_name": "ONU", "target_country": None, "target_role": None, "cameo": "0256", "quad_class": 1,
    "goldstein": 3.0, "num_mentions": 3, "num_sources": 2, "num_articles": 2, "place_name": "Istanbul",
    "place_country": "TUR", "place_admin1": "34", "place_lat": 41.01, "place_lon": 28.95, "place_feature": 745044,
    "source_url": "https://example.org/a",
}


def test_sixty_one_columns_in_gdelt_order():
    assert len(gdelt.COLUMNS) == 61
    out = StringIO()
    assert gdelt.write([GROUP], out) == 1
    row = out.getvalue().rstrip("\n").split("\t")
    assert len(row) == 61
    named = dict(zip(gdelt.COLUMNS, row))
    assert named["Day"] == "20200604" and named["MonthYear"] == "202006" and named["Year"] == "2020"
    assert named["Actor1Code"] == "LBYGOV" and named["Actor1CountryCode"] == "LBY" and named["Actor1Type1Code"] == "GOV"
    assert named["Actor2Code"] == "IGOUNO" and named["Actor2KnownGroupCode"] == "UNO"
    assert (named["EventCode"], named["EventBaseCode"], named["EventRootCode"]) == ("0256", "025", "02")
    assert (named["NumMentions"], named["NumSources"], named["NumArticles"]) == ("3", "2", "2")
    assert named["ActionGeo_Type"] == "4" and named["ActionGeo_ADM1Code"] == "TUR34"
    assert named["ActionGeo_FeatureID"] == "745044" and named["SOURCEURL"] == "https://example.org/a"


def test_month_precise_dates_and_missing_places():
    group = dict(GROUP, date="2020-06", date_precision="month", place_name=None)
    row = dict(zip(gdelt.COLUMNS, next(iter(gdelt.rows([group])))))
    assert row["Day"] == "20200601" and row["ActionGeo_Type"] == ""
