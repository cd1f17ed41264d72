/*
 * hex.h: hexadecimal digits, both ways, for every place that writes or
 * reads them: \xNN escapes in logs and statistics, JSON's \u00NN, IPv6
 * text, RE2's \x escapes.
 */
#ifndef TATTLE_HEX_H
#define TATTLE_HEX_H

int	 hex_value(int);
char	 hex_digit(unsigned int);

#endif /* TATTLE_HEX_H */
