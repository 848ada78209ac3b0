"""Legal bases (căn cứ pháp lý): the rules in force on a date, loaded from data.

Rule sets live in resources/rules/*.json; the caller reads the files and hands the parsed
JSON to ``parse_basis``, which validates it. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from secretdesk.domain.errors import DomainError, InvalidRuleData, LegalBasisMissing
from secretdesk.domain.levels import Level
from secretdesk.i18n import N_, LazyText, current_language


class SummaryRule(StrEnum):
    """What the basis says about recording the summary (trích yếu) of a Tuyệt mật item."""

    ALLOWED = "allowed"
    WITH_CLASSIFIER_CONSENT = "with_classifier_consent"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class ReportingWindow:
    """Annual reporting window: from (day, month) of the previous year to (day, month)."""

    start_day: int
    start_month: int
    end_day: int
    end_month: int
    due_day: int
    due_month: int
    confirmed: bool

    def for_year(self, year: int) -> tuple[date, date]:
        start_year = (
            year - 1
            if (self.start_month, self.start_day)
            > (
                self.end_month,
                self.end_day,
            )
            else year
        )
        return (
            date(start_year, self.start_month, self.start_day),
            date(year, self.end_month, self.end_day),
        )


class RuleKind(StrEnum):
    """Where a rule of a rule file comes from: the law, or the unit's house policy."""

    LAW = "law"
    HOUSE = "house"


@dataclass(frozen=True)
class RuleSource:
    """The provision a rule stands on, written out in both languages, e.g.
    "Điều 11 Luật Bảo vệ bí mật nhà nước 2025"; house rules say so instead."""

    kind: RuleKind
    vi: str
    en: str
    confirmed: bool = False  # the article was read in the text itself


class Bilingual(LazyText):
    """Text written out in both languages in a data file, as a message parameter."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en

    def render(self, language: str | None = None) -> str:
        return self.vi if (language or current_language()) == "vi" else self.en


class Citation(Bilingual):
    """A rule's source as a message parameter: rendered in the language of the message."""

    def __init__(self, source: RuleSource) -> None:
        super().__init__(source.vi, source.en)
        self.source = source


class PostRefused(DomainError):
    code = "approval.post_refused"
    message = N_("{user} cannot approve this: {reason} ({article}).")


@dataclass(frozen=True)
class ApproverPost:
    """A post (chức danh) the law lets approve copying of secrets up to ``level``; a post
    that may approve a level also covers the lower ones (Law 2018 / Law 2025 Art. 11)."""

    code: str
    vi: str
    en: str
    level: Level
    confirmed: bool = False  # the post was read in the article itself

    def covers(self, level: Level) -> bool:
        return self.level.covers(level)

    def label(self) -> Bilingual:
        return Bilingual(self.vi, self.en)


# The rules every rule file must mark as law or house policy.
RULE_KEYS = (
    "tuyet_mat_summary",
    "period_years",
    "warn_days",
    "extension_decision_days_before_expiry",
    "notify_days",
    "reporting_window",
    "copy_authority",
)


@dataclass(frozen=True)
class LegalBasis:
    code: str
    title: str
    documents: tuple[str, ...]
    effective_from: date
    effective_until: date | None
    tuyet_mat_summary: SummaryRule
    period_years: Mapping[Level, int]
    warn_days: int
    # the latest day for an extension decision, counted back from expiry (Law 2018 Art. 20)
    extension_decision_days_before_expiry: int
    notify_days: int
    reporting_window: ReportingWindow
    approver_posts: tuple[ApproverPost, ...]  # copy authority (Art. 11), higher covers lower
    sources: Mapping[str, RuleSource]
    # Provision to foreign bodies and persons (Art. 16): posts the article adds to those of
    # Art. 11 (they approve nothing else), and the posts that decide each level.
    foreign_posts: tuple[ApproverPost, ...] = ()
    foreign_deciders: Mapping[Level, frozenset[str]] = field(default_factory=dict)

    def post(self, code: str) -> ApproverPost | None:
        """A copy authority of Art. 11 (the posts every other approval checks)."""
        return next((p for p in self.approver_posts if p.code == code), None)

    def any_post(self, code: str) -> ApproverPost | None:
        """A post the unit may give: one of Art. 11, or one only Art. 16 names."""
        return self.post(code) or next((p for p in self.foreign_posts if p.code == code), None)

    def foreign_posts_for(self, level: Level) -> tuple[ApproverPost, ...]:
        """The posts that decide provision of ``level`` to a foreign body or person."""
        codes = self.foreign_deciders.get(level, frozenset())
        return tuple(p for p in (*self.foreign_posts, *self.approver_posts) if p.code in codes)

    def posts_covering(self, level: Level) -> tuple[ApproverPost, ...]:
        return tuple(p for p in self.approver_posts if p.covers(level))

    def cite(self, rule: str) -> Citation:
        """The source of one rule, to be named in a refusal that comes from it."""
        return Citation(self.sources[rule])

    def in_force_on(self, day: date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until


def check_post(
    basis: LegalBasis, user: str, post_code: str | None, level: Level, rule: str
) -> ApproverPost:
    """The approver's post must be one the basis names and cover ``level``; a refusal names
    the article the rule ``rule`` stands on."""
    article = basis.cite(rule)
    if post_code is None:
        raise PostRefused(
            user=user,
            reason=LazyText(N_("the unit has not given them a post that may approve")),
            article=article,
        )
    post = basis.post(post_code)
    foreign_only = basis.any_post(post_code)
    if post is None and foreign_only is not None:
        raise PostRefused(
            user=user,
            reason=LazyText(
                N_("their post ({post}) only decides provision to foreign bodies or persons"),
                post=foreign_only.label(),
            ),
            article=article,
        )
    if post is None:
        raise PostRefused(
            user=user,
            reason=LazyText(
                N_("their post {post} is not one {basis} names"), post=post_code, basis=basis.title
            ),
            article=article,
        )
    if not post.covers(level):
        raise PostRefused(
            user=user,
            reason=LazyText(
                N_("their post ({post}) does not cover {level}"),
                post=post.label(),
                level=level.label_vi,
            ),
            article=article,
        )
    return post


def check_foreign_post(
    basis: LegalBasis, user: str, post_code: str | None, level: Level
) -> ApproverPost:
    """Provision to a foreign body or person (Art. 16): the approver's post must be one the
    article names for ``level``; a refusal names the article and who decides."""
    article = basis.cite("provision_abroad")
    deciders = basis.foreign_posts_for(level)
    who = Bilingual(
        "; ".join(p.vi for p in deciders) or "—", "; ".join(p.en for p in deciders) or "—"
    )
    if post_code is None:
        raise PostRefused(
            user=user,
            reason=LazyText(
                N_("the unit has not given them a post; {level} is provided abroad only by: {who}"),
                level=level.label_vi,
                who=who,
            ),
            article=article,
        )
    post = basis.any_post(post_code)
    if post is None or post not in deciders:
        raise PostRefused(
            user=user,
            reason=LazyText(
                N_(
                    "their post ({post}) does not decide provision of {level} to foreign"
                    " bodies or persons; only: {who}"
                ),
                post=post.label() if post else post_code,
                level=level.label_vi,
                who=who,
            ),
            article=article,
        )
    return post


def basis_in_force(bases: Iterable[LegalBasis], day: date) -> LegalBasis:
    for basis in sorted(bases, key=lambda b: b.effective_from, reverse=True):
        if basis.in_force_on(day):
            return basis
    raise LegalBasisMissing(on=day.strftime("%d/%m/%Y"))


def parse_basis(name: str, data: Mapping[str, Any]) -> LegalBasis:
    """Validate one rule file's JSON; raise InvalidRuleData naming the file and the problem."""

    def fail(reason: str) -> InvalidRuleData:
        return InvalidRuleData(name=name, reason=reason)

    def field(key: str, kind: type) -> Any:
        if key not in data:
            raise fail(f"missing '{key}'")
        value = data[key]
        if not isinstance(value, kind):
            raise fail(f"'{key}' must be {kind.__name__}")
        return value

    def parse_date(key: str, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise fail(f"'{key}' is not a date (YYYY-MM-DD)") from error

    def per_level(key: str, kind: type) -> dict[Level, Any]:
        raw = field(key, dict)
        try:
            result = {Level(slug): value for slug, value in raw.items()}
        except ValueError as error:
            raise fail(f"'{key}' has an unknown level") from error
        if set(result) != set(Level) or not all(isinstance(v, kind) for v in result.values()):
            raise fail(f"'{key}' must give a {kind.__name__} for each level")
        return result

    until = data.get("effective_until")
    try:
        summary = SummaryRule(field("tuyet_mat_summary", str))
    except ValueError as error:
        raise fail("'tuyet_mat_summary' is not a known rule") from error
    window = field("reporting_window", dict)
    try:
        reporting = ReportingWindow(
            start_day=int(window["start"][0]),
            start_month=int(window["start"][1]),
            end_day=int(window["end"][0]),
            end_month=int(window["end"][1]),
            due_day=int(window["due"][0]),
            due_month=int(window["due"][1]),
            confirmed=bool(window.get("confirmed", False)),
        )
        reporting.for_year(2000)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise fail("'reporting_window' needs start, end and due as [day, month]") from error
    return LegalBasis(
        code=field("code", str),
        title=field("title", str),
        documents=tuple(field("documents", list)),
        effective_from=parse_date("effective_from", field("effective_from", str)),
        effective_until=parse_date("effective_until", until) if until else None,
        tuyet_mat_summary=summary,
        period_years=per_level("period_years", int),
        warn_days=int(field("warn_days", int)),
        extension_decision_days_before_expiry=int(
            field("extension_decision_days_before_expiry", int)
        ),
        notify_days=int(field("notify_days", int)),
        reporting_window=reporting,
        approver_posts=(posts := _parse_posts(fail, field("copy_authority", dict))),
        sources=_parse_sources(fail, field("sources", dict)),
        **_parse_foreign(fail, data.get("foreign_provision"), posts),
    )


def _parse_foreign(
    fail: Any, raw: Mapping[str, Any] | None, posts: tuple[ApproverPost, ...]
) -> dict[str, Any]:
    """``foreign_provision``: {"posts": [extra posts], "deciders": {level: [codes]}} (Art. 16)."""
    if raw is None:
        return {}
    try:
        extra = tuple(
            ApproverPost(
                code=str(item["code"]),
                vi=str(item["vi"]),
                en=str(item["en"]),
                level=Level(item["level"]),
                confirmed=bool(item.get("confirmed", False)),
            )
            for item in raw.get("posts", [])
        )
        deciders = {
            Level(slug): frozenset(str(code) for code in codes)
            for slug, codes in raw["deciders"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise fail("'foreign_provision' needs posts and deciders by level") from error
    known = {p.code for p in (*posts, *extra)}
    if len(known) != len(posts) + len(extra):
        raise fail("'foreign_provision.posts' repeats a code")
    unknown = sorted({code for codes in deciders.values() for code in codes} - known)
    if unknown:
        raise fail(f"'foreign_provision.deciders' names unknown posts {unknown}")
    if set(deciders) != set(Level):
        raise fail("'foreign_provision.deciders' must name posts for each level")
    return {"foreign_posts": extra, "foreign_deciders": deciders}


def _parse_sources(fail: Any, raw: Mapping[str, Any]) -> dict[str, RuleSource]:
    missing = sorted(set(RULE_KEYS) - set(raw))
    if missing:
        raise fail(f"'sources' does not mark {missing} as law or house policy")
    sources = {}
    for key, value in raw.items():
        try:
            sources[key] = RuleSource(
                kind=RuleKind(value["kind"]),
                vi=str(value["vi"]),
                en=str(value["en"]),
                confirmed=bool(value.get("confirmed", False)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise fail(f"'sources.{key}' needs kind (law or house), vi and en") from error
        if not (sources[key].vi.strip() and sources[key].en.strip()):
            raise fail(f"'sources.{key}' needs its text in both languages")
    return sources


def _parse_posts(fail: Any, raw: Mapping[str, Any]) -> tuple[ApproverPost, ...]:
    """``copy_authority``: {"rule": ..., "posts": [{code, vi, en, level, confirmed}, ...]}."""
    posts = []
    for item in raw.get("posts", []):
        try:
            posts.append(
                ApproverPost(
                    code=str(item["code"]),
                    vi=str(item["vi"]),
                    en=str(item["en"]),
                    level=Level(item["level"]),
                    confirmed=bool(item.get("confirmed", False)),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise fail("'copy_authority.posts' needs code, vi, en and a level") from error
    codes = [p.code for p in posts]
    if len(set(codes)) != len(codes):
        raise fail("'copy_authority.posts' repeats a code")
    if {p.level for p in posts} != set(Level):
        raise fail("'copy_authority.posts' must name posts for each level")
    return tuple(posts)
