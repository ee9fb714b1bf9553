"""Vectorised parsing of text cells into numbers, dates and missing values (pyarrow + numpy).

Shared by `mapping` (type inference on a sample) and `clean` (the whole column). Every function
takes a pyarrow string array and never loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from models.text_match import fold

# --- placeholders ---------------------------------------------------------------------------


def placeholder_set(placeholders: Iterable[str]) -> pa.Array:
    """The placeholder spellings as compared: trimmed, case-folded (`fold`); "" always counts
    as missing."""
    values = {fold(str(p)) for p in placeholders}
    values.add("")
    return pa.array(sorted(values), type=pa.string())


# What Python's str.strip() removes from ASCII text: the scoring (`models.scoring`) trims so.
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def fold_all(values: pa.Array) -> pa.Array:
    """`fold` of every value (null stays null): pyarrow for ASCII values, where trimming these
    characters and lowering is exactly `fold`, Python for the others."""
    folded = pc.utf8_lower(pc.utf8_trim(values, characters=_ASCII_SPACE))
    ascii_only = pc.fill_null(pc.string_is_ascii(values), True)
    if pc.all(ascii_only).as_py() is not False:
        return folded
    other = np.flatnonzero(~np.asarray(ascii_only.to_numpy(zero_copy_only=False), dtype=bool))
    keys = folded.to_pylist()
    texts = values.take(pa.array(other)).to_pylist()
    for i, text in zip(other.tolist(), texts, strict=True):
        keys[i] = fold(text)
    return pa.array(keys, type=pa.string())


def as_string_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous `string` array (chunks combined, large_string narrowed when it fits)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    return values


def blank_placeholders(values: pa.Array, placeholders: pa.Array, trim: bool = True) -> tuple[pa.Array, int]:
    """Turn placeholder cells (compared trimmed and case-insensitively) into nulls, and trim
    every other cell when `trim` (text to be parsed as a number or date, or compared); with
    `trim` False the text is kept byte for byte.

    Returns the cleaned array and how many non-null cells were replaced. Only cells no longer
    than the longest placeholder are lowered and compared, so long-text columns cost one trim.
    """
    trimmed = pc.utf8_trim_whitespace(values)
    kept = trimmed if trim else values
    if len(trimmed) == 0:
        return kept, 0
    max_len = max((len(p) for p in placeholders.to_pylist()), default=0)
    short = pc.less_equal(pc.utf8_length(trimmed), max_len)
    short_np = np.asarray(pc.fill_null(short, False).to_numpy(zero_copy_only=False), dtype=bool)
    candidates = np.flatnonzero(short_np)
    if candidates.size == 0:
        return kept, 0
    if candidates.size > len(trimmed) // 20:  # many short cells: compare the whole column
        hit_all = pc.is_in(pc.utf8_lower(trimmed), value_set=placeholders)
        rows = np.flatnonzero(
            np.asarray(pc.fill_null(hit_all, False).to_numpy(zero_copy_only=False), dtype=bool) & short_np
        )
    else:
        sub = pc.utf8_lower(trimmed.take(pa.array(candidates)))
        hit = np.asarray(
            pc.fill_null(pc.is_in(sub, value_set=placeholders), False).to_numpy(zero_copy_only=False), dtype=bool
        )
        rows = candidates[hit]
    if rows.size == 0:
        return kept, 0
    mask = np.zeros(len(trimmed), dtype=bool)
    mask[rows] = True
    cleaned = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), kept)
    return cleaned, int(rows.size)


# --- numbers --------------------------------------------------------------------------------

_STRIP = r"[\s\x{00a0}\x{202f}'$\x{20ac}\x{00a3}\x{00a5}]"  # spaces, NBSP, apostrophes, $ € £ ¥
_POINT_NUMBER = r"^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$"
_COMMA_NUMBER = r"^[+-]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|,\d+)$"


def comma_evidence(values: pa.Array) -> tuple[int, int]:
    """Count values that can only be read with a decimal comma / only with a decimal point.

    "1.250.000,50", "3,5", "1.250,5" → comma; "1,250,000.50", "3.5", "1,250.5" → point;
    "1,250" and "1.250" are ambiguous and count for neither.
    """
    values = pc.replace_substring_regex(pc.drop_null(values), _STRIP, "")
    comma = (
        r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$"  # both, comma last
        r"|^[+-]?\d{1,3}(?:\.\d{3}){2,}$"  # several dots: thousands
        r"|^[+-]?\d*,(?:\d{1,2}|\d{4,})$"  # one comma, not followed by exactly 3 digits
        r"|^[+-]?0,\d+$"
    )
    point = (
        r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$"
        r"|^[+-]?\d{1,3}(?:,\d{3}){2,}$"
        r"|^[+-]?\d*\.(?:\d{1,2}|\d{4,})$"
        r"|^[+-]?0\.\d+$"
    )
    n_comma = int(pc.sum(pc.match_substring_regex(values, comma)).as_py() or 0)
    n_point = int(pc.sum(pc.match_substring_regex(values, point)).as_py() or 0)
    return n_comma, n_point


def parse_numbers(values: pa.Array, decimal_comma: bool) -> tuple[pa.Array, np.ndarray]:
    """Parse trimmed, placeholder-free text into float64.

    Returns (float64 array with nulls where missing or unreadable, bool mask of unreadable
    non-null cells). Thousands separators, spaces and currency signs are allowed.
    """
    n = len(values)
    if not decimal_comma:
        try:  # fast path: plain numbers ("1250000.5", "-3", "1e5")
            parsed = pc.cast(values, pa.float64())
            finite = pc.is_finite(parsed)
            if pc.all(pc.or_kleene(finite, pc.is_null(parsed))).as_py() is not False:
                return parsed, np.zeros(n, dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    stripped = pc.replace_substring_regex(values, _STRIP, "")
    if decimal_comma:
        ok = pc.match_substring_regex(stripped, _COMMA_NUMBER)
        normal = pc.replace_substring(pc.replace_substring(stripped, ".", ""), ",", ".")
    else:
        ok = pc.match_substring_regex(stripped, _POINT_NUMBER)
        normal = pc.replace_substring(stripped, ",", "")
    ok_np = np.asarray(pc.fill_null(ok, False).to_numpy(zero_copy_only=False), dtype=bool)
    valid = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
    bad = valid & ~ok_np
    readable = pc.if_else(pa.array(ok_np), normal, pa.scalar(None, pa.string()))
    return pc.cast(readable, pa.float64()), bad


# --- dates ----------------------------------------------------------------------------------

_DATE_RE = (
    r"^(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$"
)

DATE_FORMAT_TEXT = {"DMY": "DD-MM-YYYY", "MDY": "MM-DD-YYYY", "YMD": "YYYY-MM-DD"}


def _digit_runs(template: np.ndarray) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for i, is_digit in enumerate(template):
        if is_digit and start is None:
            start = i
        elif not is_digit and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(template)))
    return runs


def _fixed_width_parts(values: pa.Array) -> list[np.ndarray] | None:
    """Fast path for dates that all have the same width and layout ("05-03-2018 10:15"):
    read the digits straight from the string buffer. None when the layout varies."""
    n = len(values)
    if n == 0 or values.null_count:
        return None
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset : values.offset + n + 1]
    width = int(offsets[1] - offsets[0])
    if width < 6 or width > 32 or int(offsets[-1] - offsets[0]) != width * n:
        return None
    if not np.all(np.diff(offsets) == width):
        return None
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    mat = data[offsets[0] : offsets[0] + width * n].reshape(n, width)
    digits = (mat >= 48) & (mat <= 57)
    template = digits[0]
    if not np.array_equal(digits.all(axis=0), template) or np.any(digits[:, ~template]):
        return None
    seps = mat[:, ~template]
    if np.any(seps != seps[0]):
        return None
    runs = _digit_runs(template)
    if len(runs) not in (3, 5, 6):
        return None
    sep_chars = bytes(seps[0]).decode("ascii", errors="replace")
    if sep_chars[0] not in "-/." or sep_chars[1] != sep_chars[0]:
        return None
    if len(runs) > 3 and (sep_chars[2] not in " T" or sep_chars[3:] not in (":", "::")):
        return None
    parts: list[np.ndarray] = []
    for start, stop in runs:
        number = np.zeros(n, dtype=np.int64)
        for col in range(start, stop):
            number = number * 10 + (mat[:, col].astype(np.int64) - 48)
        parts.append(number)
    while len(parts) < 6:
        parts.append(np.zeros(n, dtype=np.int64))
    return parts


def _regex_parts(values: pa.Array) -> tuple[list[np.ndarray], np.ndarray]:
    """General path: the date parts of every value, and a mask of values that matched."""
    n = len(values)
    extracted = pc.extract_regex(values, _DATE_RE)
    matched = np.asarray(pc.is_valid(extracted).to_numpy(zero_copy_only=False), dtype=bool)
    parts: list[np.ndarray] = []
    for name in ("a", "b", "c", "H", "M", "S"):
        field = pc.struct_field(extracted, name)
        field = pc.if_else(pc.equal(field, ""), pa.scalar(None, pa.string()), field)
        numbers = pc.cast(field, pa.int64())
        parts.append(
            np.asarray(pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
            if len(numbers)
            else np.zeros(n, dtype=np.int64)
        )
    return parts, matched


def date_order_of(parts: list[np.ndarray], default: str = "DMY") -> str:
    a, b = parts[0], parts[1]
    if a.size == 0:
        return default
    if np.count_nonzero(a > 31) > a.size / 2:
        return "YMD"
    first_big = int(np.count_nonzero(a > 12))
    second_big = int(np.count_nonzero(b > 12))
    if first_big > second_big:
        return "DMY"
    if second_big > first_big:
        return "MDY"
    return default


def date_parts(values: pa.Array) -> tuple[list[np.ndarray], np.ndarray]:
    """Date parts (a, b, c, hour, minute, second) of non-null trimmed text, and the match mask."""
    fast = _fixed_width_parts(values)
    if fast is not None:
        return fast, np.ones(len(values), dtype=bool)
    return _regex_parts(values)


_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days: np.ndarray = era * 146_097 + doe - 719_468  # numpy's stubs type this arithmetic as Any
    return days


def parse_dates(values: pa.Array, order: str) -> tuple[pa.Array, np.ndarray]:
    """Parse trimmed, placeholder-free text into timestamp[ms].

    Returns (timestamps with nulls where missing or unreadable, bool mask of non-null cells
    that are not a possible date in `order`: wrong shape, month 13, 31 February...)."""
    n = len(values)
    if n > 50_000:  # few distinct dates (no times): parse the distinct values only
        sample = values.slice(0, 10_000)
        if len(pc.unique(sample)) < 1_000:
            encoded = pc.dictionary_encode(values)
            stamps, bad = parse_dates(encoded.dictionary, order)
            indices = encoded.indices
            bad_rows = np.asarray(
                pc.fill_null(pc.take(pa.array(bad), indices), False).to_numpy(zero_copy_only=False), dtype=bool
            )
            return pc.take(stamps, indices), bad_rows
    valid = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
    present = values.filter(pa.array(valid)) if values.null_count else values
    parts, matched = date_parts(present)
    a, b, c, hour, minute, second = parts
    if order == "YMD":
        year, month, day = a, b, c
    elif order == "MDY":
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    year = np.where(year < 100, np.where(year < 70, 2000 + year, 1900 + year), year)
    ok = matched & (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1000) & (year <= 9999)
    ok &= (hour < 24) & (minute < 60) & (second < 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days_in_month = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    ok &= day <= days_in_month
    millis = _days_from_civil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000
    full = np.zeros(n, dtype=np.int64)
    full_ok = np.zeros(n, dtype=bool)
    full[valid] = millis
    full_ok[valid] = ok
    bad = valid & ~full_ok
    full[~full_ok] = 0
    stamps = pa.array(full, type=pa.timestamp("ms"), mask=~full_ok)
    return stamps, bad


# --- duplicates -----------------------------------------------------------------------------

_K = [np.uint64(k) for k in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)]


def _windows(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the string bytes padded with 8 zeros, each string's start, each string's length)."""
    n = len(values)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset : values.offset + n + 1]
    offsets = offsets.astype(np.int64)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    padded = np.zeros(data.size + 8, dtype=np.uint8)
    padded[: data.size] = data
    starts = offsets[:-1] - offsets[0]
    return padded, starts, np.diff(offsets)


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    return h ^ (h >> np.uint64(31))


def _word_at(padded: np.ndarray, where: np.ndarray) -> np.ndarray:
    words = np.ndarray(shape=(padded.size - 7,), dtype="<u8", buffer=padded, offset=0, strides=(1,))
    found: np.ndarray = words[where]  # numpy's stubs type fancy indexing as Any
    return found


def count_duplicates(values: pa.Array | pa.ChunkedArray) -> int:
    """Non-null values equal to a value in an earlier row (exact).

    A 64-bit fingerprint of each string (length, first, middle and last 8 bytes) is sorted to
    find candidates; only candidates are compared exactly, so a column of distinct IDs costs
    a few numpy passes instead of a string sort."""
    present = as_string_array(pc.drop_null(values))
    n = len(present)
    if n < 2:
        return 0
    padded, starts, lengths = _windows(present)
    first = _word_at(padded, starts)
    last = _word_at(padded, starts + np.maximum(lengths - 8, 0))
    short = np.flatnonzero(lengths < 8)
    if short.size:  # keep only the string's own bytes (little-endian: its first bytes are low)
        shift = ((8 - lengths[short]) * 8).astype(np.uint64)
        kept = np.where(lengths[short] == 0, np.uint64(0), (first[short] << shift) >> shift)
        first[short] = kept
        last[short] = kept
    fingerprint = _mix(_mix(first * _K[0]) + last) * _K[2]
    if int(lengths.max()) > 16:  # the middle bytes too
        middle = _word_at(padded, starts + np.maximum(lengths // 2 - 4, 0))
        middle[lengths < 8] = 0
        fingerprint = _mix(fingerprint + middle) * _K[1]
    fingerprint = _mix(fingerprint + lengths.astype(np.uint64) * _K[3])
    ordered = np.sort(fingerprint)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return 0
    # Rows whose fingerprint repeats, side by side by fingerprint; equal neighbours are duplicates.
    order = np.argsort(fingerprint)
    flagged = np.zeros(n, dtype=bool)
    flagged[1:] = same
    flagged[:-1] |= same
    order = order[flagged]
    prints = ordered[flagged]
    strings = present.take(pa.array(order))
    same_print = prints[1:] == prints[:-1]
    equal = np.asarray(
        pc.equal(strings.slice(1), strings.slice(0, len(strings) - 1)).to_numpy(zero_copy_only=False), dtype=bool
    )
    duplicates = int(np.count_nonzero(same_print & equal))
    collided = same_print & ~equal
    if collided.any():  # different strings with one fingerprint: count those runs exactly
        in_run = np.isin(prints, np.unique(prints[1:][collided]))
        duplicates -= int(np.count_nonzero(same_print & equal & in_run[1:]))
        run = strings.filter(pa.array(in_run))
        duplicates += len(run) - len(pc.unique(run))
    return duplicates
