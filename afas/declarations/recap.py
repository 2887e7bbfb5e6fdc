"""The recap of a declaration read before it moves on: by the approbateur before « Transmettre à la Caf »,
by the Caf agent before « Valider ». Its parts, their alerts with the justifications written, and the key
figures against the previous declaration."""

from .review import load_data, review_activity, review_financial
from .views_declaration import computed_rows


def declaration_recap(declaration):
    data = load_data(declaration)
    reviewed = [
        (f"Données d'activité — {p.lieu or declaration.activite}", p, review_activity(p, data))
        for p in data.activity_parts
    ]
    reviewed.append(("Données financières", data.financial_part, review_financial(data.financial_part, data)))
    parts = [
        {
            "title": title,
            "part": part,
            "alerts": [(alert.message, part.justifications.get(alert.code, "")) for alert in review.alerts],
            "errors": sum(len(messages) for messages in review.errors.values()),
        }
        for title, part, review in reviewed
    ]
    return {
        "parts": parts,
        "alert_count": sum(len(item["alerts"]) for item in parts),
        "computed": computed_rows(data.figures, data.previous_figures),
        "previous": data.previous,
    }
