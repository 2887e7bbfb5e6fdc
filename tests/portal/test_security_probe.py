"""The pieces of `make security` (deploy/security/) and of the scripts' sign-in (deploy/smoke/client.py) that
decide something: what is a finding, which forms are targets, the second step of the sign-in."""

import base64
import csv
import datetime
import io

import openpyxl
import requests
import time_machine
from django.utils.html import escape
from django_otp.oath import TOTP

from deploy.security import xss
from deploy.security.targets import form_target, shape, signed_in
from deploy.smoke.client import forms, second_step_form, totp_code


def response(body, content_type="text/html; charset=utf-8"):
    answer = requests.Response()
    answer.status_code = 200
    answer._content = body if isinstance(body, bytes) else body.encode()
    answer.headers["Content-Type"] = content_type
    answer.encoding = "utf-8"
    return answer


def test_an_escaped_payload_is_no_finding_and_a_raw_one_is():
    payload = xss.payload(7)
    escaped = f'<p>{escape(payload)}</p><input value="{escape(payload)}">'
    assert xss.html_findings("page", response(escaped)) == []
    assert xss.markers(escaped) == {"x13p7"}
    in_text = xss.html_findings("page", response(f"<p>{payload}</p>"))
    assert any("<script> non échappé" in finding for finding in in_text)
    in_attribute = xss.html_findings("page", response(f'<input value="{payload}">'))
    assert any("guillemet non échappé" in finding for finding in in_attribute)


def test_a_formula_in_a_csv_export_is_a_finding_and_a_neutralised_cell_is_not():
    def export(cell):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([["Organisme", "Heures"], [cell, "12"]])
        return response(buffer.getvalue(), "text/csv; charset=utf-8")

    assert xss.export_findings("/export/csv/", export(xss.payload(3)))
    assert xss.export_findings("/export/csv/", export("'" + xss.payload(3))) == []


def test_a_formula_in_an_xlsx_export_is_a_finding_and_a_text_cell_is_not():
    def export(as_formula):
        book = openpyxl.Workbook()
        cell = book.active.cell(row=2, column=1, value=xss.payload(4))
        if not as_formula:
            cell.data_type = "s"  # what a neutralised export writes: text, never evaluated
        buffer = io.BytesIO()
        book.save(buffer)
        return response(
            buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    assert xss.export_findings("/export/xlsx/", export(as_formula=True))
    assert xss.export_findings("/export/xlsx/", export(as_formula=False)) == []


def test_a_creation_form_gets_plausible_values_beside_the_payload():
    page = """<form method="post" action="/conventions/1/utilisateurs/nouveau/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="text" name="nom"><input type="text" name="prenom">
      <input type="email" name="email"><input type="tel" name="telephone">
      <input type="text" name="date_ouverture" value="01/10/2026"></form>"""
    target = form_target(forms(page)[0], "administrateur", "/conventions/1/utilisateurs/nouveau/")
    assert target.text_fields == ["email", "nom", "prenom", "telephone"]  # not the date
    sent = dict(xss.submission(target, "nom", 9))
    assert sent["nom"] == xss.payload(9)
    assert sent["email"] == "sonde9@example.test" and sent["telephone"] == "0601020304"
    assert sent["date_ouverture"] == "01/10/2026" and sent["csrfmiddlewaretoken"] == "t"


def test_sign_out_bulk_actions_and_hidden_only_filters_are_not_targets():
    page = """
      <form method="post" action="/mon-compte-partenaire/deconnexion/"><input type="hidden"
        name="csrfmiddlewaretoken" value="t"></form>
      <form method="post" action=""><select name="action"><option value="delete_selected"></select>
        <input type="checkbox" name="_selected_action" value="1"></form>
      <form method="get" action="/afas/declarations/"><input type="hidden" name="page" value="2"></form>
      <form method="get" action="/afas/declarations/"><input type="search" name="activite_nom"></form>
      <form method="post" action="/afas/declarations/4/retourner/"><input type="hidden"
        name="csrfmiddlewaretoken" value="t"><textarea name="comment">déjà écrit</textarea></form>"""
    targets = [form_target(form, "p", "/back-office/afas/declaration/") for form in forms(page)]
    found = [(t.method, t.action, t.probed_fields) for t in targets if t is not None]
    assert found == [
        ("get", "/afas/declarations/", ["activite_nom"]),
        ("post", "/afas/declarations/4/retourner/", ["comment"]),
    ]
    assert targets[-1].types["comment"] == "textarea" and dict(targets[-1].fields)["comment"] == "déjà écrit"


def test_pages_of_one_shape_are_crawled_once():
    assert shape("/conventions/1/utilisateurs/14/modifier/") == shape(
        "/conventions/2/utilisateurs/7/modifier/"
    )
    assert shape("/back-office/accounts/user/?q=a&o=1") == shape("/back-office/accounts/user/?o=2&q=b")
    assert shape("/back-office/accounts/user/?q=a") != shape("/back-office/accounts/user/?statut=ouvert")


def test_the_sign_in_recognises_a_second_step_page_and_not_the_password_page():
    code_page = """<form method="post" action="/mon-compte-partenaire/connexion/code/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="text" name="otp_token" inputmode="numeric"></form>"""
    assert second_step_form(code_page)["code"] == "otp_token"
    password_page = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="username"><input type="password" name="password"></form>"""
    assert second_step_form(password_page) is None


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, 10, tzinfo=datetime.UTC), tick=False)
def test_the_demo_code_is_the_current_totp_of_a_hex_or_base32_secret():
    key = bytes(range(20))
    expected = f"{TOTP(key).token():06d}"
    assert totp_code(key.hex()) == expected
    assert totp_code(base64.b32encode(key).decode().rstrip("=")) == expected


def test_the_smoke_and_the_security_run_sign_in_through_the_same_browser():
    from deploy.smoke import checks
    from deploy.smoke.client import Browser

    assert checks.Browser is Browser
    assert signed_in.__module__ == "deploy.security.targets"
