"""The image and the compose file as an operator would run them (docker is not run here: the files are
read and checked)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def lock_names(path):
    names = set()
    for line in (ROOT / path).read_text().splitlines():
        if line and not line.startswith(("#", "-r")):
            names.add(line.split("==")[0].lower().replace("_", "-"))
    return names


def test_runtime_lock_has_no_dev_tools_and_the_dev_lock_adds_them():
    runtime, dev = lock_names("requirements.lock"), lock_names("requirements-dev.lock")
    assert {"django", "gunicorn", "django-redis", "python-json-logger"} <= runtime
    assert not {"pytest", "playwright", "ruff", "aiosmtpd", "requests"} & runtime
    assert {"pytest", "playwright", "ruff", "aiosmtpd"} <= dev
    assert "-r requirements.lock" in (ROOT / "requirements-dev.lock").read_text().splitlines()
    assert "requirements-dev.lock" in (ROOT / "Makefile").read_text()


def test_image_installs_the_runtime_lock_runs_unprivileged_and_has_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile
    assert not re.search(r"^RUN .*requirements-dev\.lock", dockerfile, re.M)
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*deploy/healthcheck\.py", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".venv", ".env", "db.sqlite3*", ".git", "tests/**"} <= set(ignored)
    # Nothing of the tests goes in: the demo (devtools) is built without them.
    assert not [line for line in ignored if line.startswith("!tests")]


def test_compose_runs_the_proxy_web_replicas_worker_and_cleanup_with_restart_policies():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"proxy", "web", "worker", "cleanup", "migrate", "db", "redis"} <= set(services)
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    assert services["cleanup"]["command"][:3] == ["python", "manage.py", "cleanup"]
    for name, service in services.items():
        expected = "no" if name == "migrate" else "unless-stopped"
        assert service.get("restart") == expected, name
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    env = services["web"]["environment"]
    assert {"SITE_URL", "TRUSTED_PROXY_COUNT", "REDIS_URL"} <= set(env)


def test_nginx_passes_host_the_terminators_scheme_and_a_request_id():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header Host $http_host;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme" not in conf
    assert re.search(r"map \$http_x_forwarded_proto \$portail_forwarded_proto", conf)
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    # Every location inherits the headers: none sets a proxy_set_header of its own.
    for block in re.findall(r"location[^{]*\{([^}]*)\}", conf):
        assert "proxy_set_header" not in block


def test_gunicorn_access_log_has_the_request_id_and_duration():
    namespace = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["accesslog"] == "-"
    assert "%({x-request-id}i)s" in namespace["access_log_format"]
    assert "%(M)s" in namespace["access_log_format"]
