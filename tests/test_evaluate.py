import json

from telex.evaluate import Predicted, actor_level, load_gold, score


def write_gold(tmp_path, records):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return load_gold(path)


def pred(doc, src, tgt, root):
    return Predicted(doc, (actor_level(src), actor_level(tgt), root), "s", "r")


def test_actor_levels():
    assert actor_level("TURGOV") == "TUR"
    assert actor_level("IGOUNOHCR") == "IGOUNO"
    assert actor_level(None) == "---"


def test_scoring_follows_the_gold_rules(tmp_path):
    gold = write_gold(tmp_path, [{"doc": "d", "date": None, "events": [
        {"src": ["TURGOV", "TUR"], "tgt": "LBY", "code": "0256"},
        {"src": "TUR", "tgt": "LBY", "code": "020"},  # same tuples as the first: counted once
        {"src": "USAGOV", "tgt": "TURGOV", "code": "040"},
        {"src": "RUS", "tgt": None, "code": "016", "optional": True},
        {"src": "*", "tgt": "EGY", "code": ["120", "125"]},
    ]}])
    predicted = [
        pred("d", "TURGOV", "LBYGOV", "02"),  # hit
        pred("d", "TUR", "LBYREB", "02"),  # same tuple, used up by the same hit
        pred("d", "RUSGOV", None, "01"),  # optional: neither rewarded nor penalised
        pred("d", "QAT", "EGY", "12"),  # '*' source: hit
        pred("d", "FRA", "DEU", "04"),  # false alarm
        pred("other", "FRA", "DEU", "04"),  # a document not in the gold is not scored
    ]
    report = score(gold, predicted)
    assert (report.overall.hits, report.overall.misses, report.overall.false_alarms) == (2, 1, 1)
    assert report.by_root["04"].misses == 1 and report.by_root["04"].false_alarms == 1
    assert report.by_root["02"].hits == 1
    assert round(report.overall.precision, 3) == round(2 / 3, 3)
    assert round(report.overall.recall, 3) == round(2 / 3, 3)


def test_an_empty_prediction_scores_zero(tmp_path):
    gold = write_gold(tmp_path, [{"doc": "d", "events": [{"src": "FRA", "tgt": "DEU", "code": "040"}]}])
    report = score(gold, [])
    assert report.overall.f1 == 0.0 and report.overall.misses == 1
