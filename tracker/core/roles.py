"""The editorial roles and their permissions. The data migration and tests both read this."""

CURATED_MODELS = [
    ("sources", "source"),
    ("policies", "jurisdiction"),
    ("policies", "actor"),
    ("policies", "policy"),
    ("policies", "commitment"),
    ("policies", "assessment"),
    ("policies", "funding"),
    ("policies", "event"),
    ("policies", "estimate"),
]
# Parts of an entry edited inline with it.
INLINE_MODELS = [("sources", "citation"), ("policies", "policyactor")]

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """{group name: {(app_label, codename)}}."""
    contributor = {
        (app, f"{verb}_{model}")
        for app, model in CURATED_MODELS
        for verb in ("view", "add", "change")
    }
    contributor |= {
        (app, f"{verb}_{model}")
        for app, model in INLINE_MODELS
        for verb in ("view", "add", "change", "delete")
    }
    editor = set(contributor)
    editor |= {(app, f"delete_{model}") for app, model in CURATED_MODELS}
    editor |= {(app, f"review_{model}") for app, model in CURATED_MODELS}
    return {CONTRIBUTOR: contributor, EDITOR: editor}
