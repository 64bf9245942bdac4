"""versions stage."""
