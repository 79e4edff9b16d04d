"""Show how telex parses and codes one French sentence (for dictionary writers).

    .venv/bin/python tools/try_sentence.py "L'Égypte a appelé à un cessez-le-feu à Gaza." [--date 2023-10-20] [--parse]
"""

import argparse

from telex import nlp
from telex.pipeline import Coder, Settings
from telex.records import Document, PartialDate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("text")
    parser.add_argument("--date", default="2020-06-15")
    parser.add_argument("--parse", action="store_true", help="print the dependency parse")
    args = parser.parse_args()
    coder = Coder(Settings())
    doc = nlp.load()(args.text)
    if args.parse:
        for t in doc:
            print(f"{t.i:3} {t.text:16} {t.lemma_:14} {t.pos_:6} {t.dep_:12} -> {t.head.i:3} {t.morph}")
    coded = coder.code(doc, Document("try", args.text, date=PartialDate.parse(args.date)))
    for e in coded.events:
        print(f"{e.source.actor.code:10} {e.target.actor.code:10} {e.cameo:5} {e.modality:12} rule={e.rule}")
        for step in e.path:
            print("    ", step)
    if not coded.events:
        print("(no event)")


if __name__ == "__main__":
    main()
