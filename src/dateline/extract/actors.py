"""Actors from noun phrases: named groups, countries and demonyms, titles and role nouns."""

from __future__ import annotations

from typing import Any

from dateline.extract.doccache import doc_text, entity_at
from dateline.extract.ontology import ActorDictionary, RoleNoun
from dateline.models import Actor, Span

# Dependencies that start a clause of their own: an actor phrase stops there.
_CLAUSAL = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "appos", "punct", "cc", "prep"})
_MILITARY_TYPES = frozenset({"ASSAULT", "MOBILIZE", "COERCE"})


def phrase_tokens(head: Any) -> list[Any]:
    """The head noun with its left modifiers (det, amod, compound, poss, nummod), in order."""
    tokens = [head]
    for child in head.children:
        if child.i < head.i and child.dep_ not in _CLAUSAL:
            tokens.extend(t for t in child.subtree if t.dep_ not in ("punct", "case"))
        elif child.dep_ == "prep" and child.lower_ == "of":
            # "leaders of Jordan", "the city of Khan Younis": the object belongs to the phrase.
            for obj in child.children:
                if obj.dep_ == "pobj":
                    tokens.extend([child, *phrase_tokens(obj)])
    return sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)


# Nominal dependents a misparsed verb can carry on its left: "the RSF held talks".
_NOMINAL_DEPS = frozenset({"nsubj", "npadvmod", "nmod", "compound", "dobj"})


def _glued_name(head: Any, dictionary: ActorDictionary) -> Any:
    """'Hamas stall' (from '... between Israel and Hamas stall'), 'Armenia and Azerbaijan
    collapse': a name the parser hung on a following word that is the sentence's verb read
    as a noun. Returns the name's head, or None when ``head`` heads a real phrase.

    A role noun ("Hamas fighters") or a word of the same entity is part of the phrase."""
    if head.ent_type_ or head.pos_ != "NOUN" or not _looks_verbal(head):
        return None
    if _is_role_word(head, dictionary) or head.dep_ not in ("conj", "pobj", "nsubj", "ROOT"):
        return None
    if any(c.i > head.i and c.dep_ not in ("prep", "punct", "advmod") for c in head.children):
        return None
    left = [c for c in head.children if c.i < head.i and c.dep_ in _NOMINAL_DEPS]
    if len(left) != 1 or left[0].pos_ != "PROPN":
        return None
    name = left[0]
    if max(t.i for t in name.subtree) != head.i - 1:
        return None  # the name (with its conjuncts: "A and B collapse") right before the word
    if name.ent_type_ in ("ORG", "GPE", "NORP") or name.lower_ in dictionary.named:
        return name
    return None


def _is_role_word(token: Any, dictionary: ActorDictionary) -> bool:
    lemma = token.lemma_.lower()
    return lemma in dictionary.roles or lemma.removesuffix("s") in dictionary.roles


def _looks_verbal(token: Any) -> bool:
    """A singular common noun right after a name that ends its clause or opens a phrase of
    its own ("stall.", "collapse in X"): the verb the tagger read as a noun."""
    if token.tag_ != "NN":
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is None or following.is_punct or following.pos_ in ("ADP", "ADV", "SCONJ")


def _named(tokens: list[Any], dictionary: ActorDictionary) -> tuple[Any, Any] | None:
    """The longest named-actor match inside the phrase, as (entry, tokens)."""
    words = [t.lower_ for t in tokens]
    for size in range(min(4, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            key = " ".join(words[i : i + size])
            entry = dictionary.named.get(key)
            if entry is not None:
                return entry, tokens[i : i + size]
    return None


def _country(tokens: list[Any], dictionary: ActorDictionary) -> str | None:
    for token in tokens:
        iso3 = dictionary.country_of(token.text)
        if iso3 is not None and token.ent_type_ in ("GPE", "NORP", "") and token.text[0].isupper():
            return iso3
    ent_texts = {t.ent_iob_ + t.text for t in tokens}
    for token in tokens:
        if token.ent_iob_ == "B" and token.ent_type_ in ("GPE", "NORP"):
            ent = entity_at(token)
            iso3 = dictionary.country_of(ent.text)
            if iso3 is not None:
                return iso3
    del ent_texts
    return None


def _role(tokens: list[Any], head: Any, dictionary: ActorDictionary) -> RoleNoun | None:
    for token in (head, *reversed(tokens)):
        pair = f"{token.lemma_.lower()}"
        if token.pos_ == "PROPN" and pair not in dictionary.roles and pair.endswith("s"):
            pair = pair[:-1]  # title-case headlines: "Civilians" is tagged PROPN, not lemmatised
        prev = token.doc[token.i - 1] if token.i > 0 else None
        if prev is not None and prev in tokens:
            two = f"{prev.lemma_.lower()} {pair}"
            if two in dictionary.roles:
                return dictionary.roles[two]
        if pair in dictionary.roles and token.pos_ in ("NOUN", "PROPN"):
            return dictionary.roles[pair]
    return None


def _person(tokens: list[Any], dictionary: ActorDictionary) -> str | None:
    """The person a phrase names: a PERSON entity, or the capitalised name right after a
    title ("President Ruto") when the tagger missed it."""
    for token in tokens:
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            return str(entity_at(token).text)
    for index, token in enumerate(tokens[:-1]):
        role = dictionary.roles.get(token.lemma_.lower()) or dictionary.roles.get(token.lower_)
        if role is None or role.kind not in ("government", "military") or not token.is_title:
            continue
        name = []
        for word in tokens[index + 1 :]:
            if (
                word.pos_ != "PROPN"
                or not word.is_title
                or word.ent_type_ in ("GPE", "NORP", "ORG")
                or word.lower_ in dictionary.roles
                or dictionary.country_of(word.text) is not None
            ):
                break
            name.append(word.text)
        if name and len(name) == len(tokens) - index - 1:
            return " ".join(name)
    return None


def actor_from_head(
    head: Any, dictionary: ActorDictionary, *, event_type: str | None = None
) -> Actor | None:
    """Normalise the noun phrase headed by ``head`` to an actor, or None if it names none."""
    if head.pos_ in ("VERB", "AUX"):
        # "the RSF held talks" misparsed with "held" as a modifier: the actor is the noun
        # the verb's phrase starts with, and its span stops before the verb.
        nouns = [
            c
            for c in head.children
            if c.i < head.i and c.pos_ in ("PROPN", "NOUN") and c.dep_ in _NOMINAL_DEPS
        ]
        if not nouns:
            return None
        return actor_from_head(nouns[-1], dictionary, event_type=event_type)
    glued = _glued_name(head, dictionary)
    if glued is not None:
        return actor_from_head(glued, dictionary, event_type=event_type)
    tokens = phrase_tokens(head)
    first = tokens[0]
    if first.i >= 2 and first.doc[first.i - 1].dep_ == "case" and head.pos_ == "PROPN":
        # "Turkey's President X" where the parser hung "Turkey" elsewhere: the possessor
        # right before the phrase still says whose president.
        owner = first.doc[first.i - 2]
        if dictionary.country_of(owner.text) is not None and owner.ent_type_ in ("GPE", "NORP"):
            tokens = [owner, first.doc[first.i - 1], *tokens]
    named = _named(tokens, dictionary)
    country = _country(tokens, dictionary)
    role = _role(tokens, head, dictionary)
    person = _person(tokens, dictionary)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text(head.doc)[start:end]
    span = Span(start=start, end=end)
    if named is not None:
        entry, _ = named
        return Actor(
            text=text,
            span=span,
            name=entry.name,
            country=entry.country or country,
            kind=entry.kind,
        )
    if person is not None:
        kind = (
            role.kind if role is not None and role.kind in ("government", "military") else "person"
        )
        office = _office(tokens, person)
        title = f" ({office or role.label})" if role is not None and kind != "person" else ""
        return Actor(
            text=text,
            span=span,
            name=f"{person}{title}",
            country=country,
            kind=kind,
            person=person,
            office=office if role is not None else None,
        )
    if country is not None and role is not None:
        return Actor(
            text=text,
            span=span,
            name=_acled_style_name(role, dictionary.country_names.get(country, country)),
            country=country,
            kind=role.kind,
        )
    if country is not None and head.ent_type_ in ("GPE", "NORP"):
        kind = "military" if event_type in _MILITARY_TYPES else "government"
        label = "Military Forces of" if kind == "military" else "Government of"
        name = f"{label} {dictionary.country_names.get(country, country)}"
        return Actor(text=text, span=span, name=name, country=country, kind=kind)
    if role is not None and head.lemma_.lower() in dictionary.roles:
        names = [t for t in tokens if t.i < head.i and t.pos_ == "PROPN" and t.is_title]
        if names and not _title_case(head.sent):
            # "Wazalendo fighters": a group the dictionary lacks, named by its phrase.
            name = text.removeprefix("the ").removeprefix("The ")
            return Actor(text=text, span=span, name=name, country=None, kind=role.kind)
        return Actor(
            text=text, span=span, name=role.label.capitalize(), country=None, kind=role.kind
        )
    return _unlisted(head, span, text, country, event_type)


# Places (GPE, LOC, FAC) are not actors unless the dictionary knows them as countries.
_ENTITY_KINDS = {"NORP": "other", "ORG": "other", "PERSON": "person"}
_DIPLOMATIC_KINDS = {**_ENTITY_KINDS, "GPE": "country"}
_PHYSICAL_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "SANCTION", "AID", None})


def _unlisted(
    head: Any, span: Span, text: str, country: str | None, event_type: str | None
) -> Actor | None:
    """A named group, place or person missing from the dictionary keeps its own name;
    a common noun led by one ("Orc raiders") is named by the whole phrase."""
    if _title_case(head.sent):
        return None  # a title-case headline: every word looks like a name there
    # A place that acts in diplomacy ("Arnor urged Gondor ...") is a state; a place that is
    # shelled or raided is where the event happened, not an actor.
    kinds = _ENTITY_KINDS if event_type in _PHYSICAL_TYPES else _DIPLOMATIC_KINDS
    names = [
        t
        for t in phrase_tokens(head)
        if (t.ent_type_ in kinds and (t.pos_ != "ADJ" or t.ent_type_ == "NORP"))
        or (t.pos_ == "PROPN" and not t.ent_type_)
    ]
    if not names or not any(t.is_title for t in names):
        return None
    if head in names:
        ent = entity_at(head)
        name = str(ent.text) if ent is not None else str(head.text)
        kind = kinds.get(head.ent_type_, "other")
    else:
        name = text.removeprefix("the ").removeprefix("The ")
        kind = "other"
    return Actor(text=text, span=span, name=name, country=country, kind=kind)


def _title_case(sent: Any) -> bool:
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.is_title for t in words) / len(words) > 0.7


def _office(tokens: list[Any], person: str) -> str | None:
    """'Defense Minister Benny Gantz' -> 'Defense Minister': capitalised words before the name."""
    words: list[str] = []
    for token in tokens:
        if token.ent_type_ == "PERSON" or token.text == person.split()[0]:
            break
        if token.is_title and token.ent_type_ not in ("GPE", "NORP") and token.is_alpha:
            words.append(token.text)
        elif words:
            words = []
    return " ".join(words) or None


def _acled_style_name(role: RoleNoun, country_name: str) -> str:
    """ACLED's naming: 'Military Forces of Israel', 'Civilians (Palestine)'."""
    if role.kind == "military":
        return f"Military Forces of {country_name}"
    if role.kind == "government":
        return f"Government of {country_name}"
    return f"{role.label.capitalize()} ({country_name})"
