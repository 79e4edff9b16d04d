import json

from telex.ingest import iter_inputs
from telex.ingest.article_dates import article_date, parse_header
from telex.ingest.boilerplate import is_boilerplate, remove_boilerplate_lines
from telex.records import Document, PartialDate, SkippedInput


def docs(items):
    return [i for i in items if isinstance(i, Document)]


def skipped(items):
    return [i for i in items if isinstance(i, SkippedInput)]


def test_txt_with_date_header(tmp_path):
    (tmp_path / "a.txt").write_text("date 2021-03-04\n\nLe Premier ministre a reçu son homologue.", encoding="utf-8")
    [doc] = docs(iter_inputs([tmp_path / "a.txt"]))
    assert doc.doc_id == "a"
    assert doc.date == PartialDate(2021, 3, 4)
    assert doc.text.startswith("Le Premier ministre")


def test_header_with_month_only_and_no_newline():
    date, text = parse_header(" date 2020-01 \"Nous appelons\"")
    assert date == PartialDate(2020, 1)
    assert text.startswith('"Nous')


def test_jsonl_reports_bad_lines_and_keeps_the_rest(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "one", "text": "Paris a convoqué l'ambassadeur.", "date": "2022-05-02"}),
        "{not json",
        json.dumps({"id": "two", "title": "Titre"}),
        json.dumps(["a list"]),
        json.dumps({"id": "three", "text": "Berlin a salué l'accord.", "url": "https://example.org/3", "source": "x"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_inputs([path]))
    assert [d.doc_id for d in docs(items)] == ["one", "three"]
    assert docs(items)[1].url == "https://example.org/3"
    problems = skipped(items)
    assert [p.line for p in problems] == [2, 3, 4]
    assert "not valid JSON" in problems[0].message() and f"{path}:2" in problems[0].message()
    assert "no 'text' field" in problems[1].reason


def test_bad_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PNG")
    (tmp_path / "notes.docx").write_bytes(b"whatever")
    (tmp_path / "good.txt").write_text("Le Mali a rappelé son ambassadeur à Alger.", encoding="utf-8")
    items = list(iter_inputs([tmp_path, tmp_path / "missing.txt"]))
    assert [d.doc_id for d in docs(items)] == ["good"]
    reasons = {p.path.split("/")[-1]: p.reason for p in skipped(items)}
    messages = {p.path.split("/")[-1]: p.message() for p in skipped(items)}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert reasons["notes.docx"] == "unknown extension" and "'.docx'" in messages["notes.docx"]
    assert reasons["missing.txt"] == "no such file or folder"


def test_windows_1252_is_decoded(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Le général a été reçu à l'Élysée.".encode("cp1252"))
    [doc] = docs(iter_inputs([tmp_path]))
    assert "général" in doc.text and "Élysée" in doc.text


def test_folders_are_read_recursively_in_a_stable_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Texte z.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Texte a.", encoding="utf-8")
    assert [d.doc_id for d in docs(iter_inputs([tmp_path]))] == ["a", "z"]


def test_html_main_text_is_extracted(tmp_path):
    html = """<html lang="fr"><head><title>Visite à Rome</title>
    <meta property="article:published_time" content="2023-04-05T08:00:00Z"></head><body>
    <nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
    <article><h1>Le président égyptien en visite à Rome</h1>
    <p>Le président égyptien s'est rendu mercredi à Rome, où il a rencontré la présidente du Conseil italien
    pour évoquer la situation en Libye et les flux migratoires en Méditerranée centrale.</p>
    <p>Les deux dirigeants ont signé un accord de coopération énergétique, selon un communiqué de la présidence.</p>
    </article><footer>© 2023 Exemple Médias. Tous droits réservés.</footer>
    <script>var tracking = 1;</script></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    [doc] = docs(iter_inputs([tmp_path / "page.html"]))
    assert "s'est rendu mercredi à Rome" in doc.text
    assert "tracking" not in doc.text and "Tous droits réservés" not in doc.text
    assert doc.date == PartialDate(2023, 4, 5)


def test_boilerplate_lines_are_dropped():
    text = "Connectez-vous pour lire la suite\nLe Kenya a expulsé deux diplomates.\nPartagez cet article sur :\n© 2021 Agence X. Tous droits réservés."
    assert remove_boilerplate_lines(text) == "Le Kenya a expulsé deux diplomates."
    assert is_boilerplate("(Rédaction : Jeanne Martin, édité par Paul Durand)")
    assert not is_boilerplate("Le gouvernement a annoncé des sanctions contre Minsk.")


def test_article_dates_from_datelines_and_bylines():
    assert article_date("Agence | 23.07.2020 09h21\n\nTexte.", None) == (PartialDate(2020, 7, 23), "byline")
    assert article_date("Reuters • 23/05/2020 à 21:29\nTexte.", None)[0] == PartialDate(2020, 5, 23)
    assert article_date("1er janvier 2016, 14h30. –\nUn homme a été arrêté.", None)[0] == PartialDate(2016, 1, 1)
    # a day and month without year refines a month known from metadata
    assert article_date("ANKARA, 4 juin (Agence) - Texte.", PartialDate(2020, 6))[0] == PartialDate(2020, 6, 4)
    # a date inside a sentence is the event's, not the article's
    assert article_date("Les pourparlers reprendront le 12 janvier à Genève.", PartialDate(2020, 1))[0] == PartialDate(2020, 1)
    assert article_date("Aucune date ici.", None) == (None, None)


def test_article_dates_found_for_wikinews_without_metadata():
    """The text alone (dateline, update stamp) gives the publication date of >= 99% of real articles."""
    from conftest import shared_path

    path = shared_path("corpus", "wikinews-fr", "articles.jsonl")
    total = right = 0
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        total += 1
        found, _ = article_date(record["text"], None)  # the 'date' field is not used
        right += found is not None and found.iso() == record["date"]
    assert right / total >= 0.99, f"{right}/{total}"
