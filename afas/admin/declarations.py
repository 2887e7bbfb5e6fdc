# Back-office of the declarations.
