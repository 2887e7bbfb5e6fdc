# Back-office of activités, lieux and habilitations.
