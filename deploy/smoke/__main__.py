"""`python -m deploy.smoke` (make smoke): starts the topology, runs the checks, stops everything."""

import os
import shutil
import signal
import sys
import time

from .base import (
    NGINX,
    NGINX_PORT,
    PG_RELAY_PORT,
    REDIS_PORT,
    REDIS_SERVER,
    RUN_TIMEOUT,
    SMTP_PORT,
    WEB_PORTS,
    SmokeTimeout,
)
from .checks import Run
from .topology import Topology


def main():
    for tool in (NGINX, REDIS_SERVER):
        if not os.access(tool, os.X_OK):
            print(f"ERREUR : {tool} absent (apt-get install nginx-light redis-server)", file=sys.stderr)
            return 2

    def on_timeout(signum, frame):
        raise SmokeTimeout(f"plus de {RUN_TIMEOUT} s")

    signal.signal(signal.SIGALRM, on_timeout)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped from outside: as CTRL-C
    signal.alarm(RUN_TIMEOUT)
    topology = Topology()
    run = Run(topology)
    started = time.monotonic()
    try:
        print(
            f"== topologie : nginx :{NGINX_PORT} → web1 :{WEB_PORTS['web1']}, web2 :{WEB_PORTS['web2']} ; "
            f"Redis :{REDIS_PORT} ; SMTP :{SMTP_PORT} ; PostgreSQL {topology.db_name} (relais :{PG_RELAY_PORT}) ; "
            f"journaux dans {topology.tmp}",
            flush=True,
        )
        if not run.check(
            "topologie démarrée (base, Redis, SMTP, 2 × gunicorn, worker, nginx)",
            lambda: topology.start() or "prête",
        ):
            return finish(run, topology, started)
        checks = [
            ("/healthz 200 par le proxy (Host transmis)", run.healthz),
            ("/readyz 200 : PostgreSQL, Redis, file des mails", run.readyz_ok),
            ("SECURE_SSL actif : HTTP direct redirigé vers https", run.https_redirect_without_terminator),
            ("derrière le terminateur TLS : pas de boucle de redirection", run.no_redirect_loop),
            ("connexion de 100000001, cookies Secure", run.sign_in_admin),
            ("page de ses conventions", run.conventions_page),
            ("même session servie par les deux processus web", run.both_processes),
            ("identifiant de requête : nginx → gunicorn → journaux JSON", run.request_id_trail),
            ("création d'un utilisateur par l'administrateur", run.create_user),
            ("mail d'activation : worker + SMTP, lien vers l'adresse publique", run.activation_mail),
            ("lien d'activation suivi : mot de passe choisi, connexion", run.follow_activation),
            ("audit : adresse du client, X-Forwarded-For forgé ignoré", run.audited_with_client_address),
            ("blocage (django-axes) : adresse du client", run.lockout_with_client_address),
            (
                "Redis arrêté : /readyz 503 nommant redis",
                lambda: (topology.stop("redis"), run.readyz_names("redis"))[1],
            ),
            ("Redis arrêté : connexion et pages servies", run.without_redis),
            ("Redis revenu : /readyz 200, cache repris", run.redis_back),
            ("worker arrêté : /readyz 503 nommant la file des mails, puis reprise", run.stalled_mail_queue),
            ("kill -9 d'un gunicorn en cours de route", run.kill_one_web_process),
            (
                "PostgreSQL injoignable : page 503 française, /readyz nommant postgresql",
                run.without_postgresql,
            ),
            ("PostgreSQL revenu : pages servies", run.postgresql_back),
        ]
        for label, function in checks:
            run.check(label, function)
    except SmokeTimeout as error:
        run.failed += 1
        print(f"ÉCHEC  délai dépassé — {error}", flush=True)
    except KeyboardInterrupt:
        run.failed += 1
        print("ÉCHEC  interrompu", flush=True)
    except Exception as error:  # noqa: BLE001 (a fault of the script itself: still stop everything)
        run.failed += 1
        print(f"ÉCHEC  erreur du smoke test — {type(error).__name__}: {error}", flush=True)
    finally:
        signal.alarm(0)
    return finish(run, topology, started)


def finish(run, topology, started):
    topology.stop_all()
    if run.failed:
        print(f"journaux gardés dans {topology.tmp}", flush=True)
    else:
        shutil.rmtree(topology.tmp, ignore_errors=True)
    print(f"(en {time.monotonic() - started:.0f} s)", flush=True)
    print(f"{run.passed} passed, {run.failed} failed", flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
