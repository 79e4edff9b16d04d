"""Actors stage: dictionaries of countries, people, organisations and roles, and the resolver."""

from telex.actors.dictionary import ActorDictionary, DictionaryError
from telex.actors.resolver import ActorResolver

__all__ = ["ActorDictionary", "ActorResolver", "DictionaryError"]
