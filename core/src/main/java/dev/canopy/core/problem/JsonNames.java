package dev.canopy.core.problem;

import java.util.Locale;

/** Java property names of the generated models back to the snake_case names of the contract. */
final class JsonNames {
    private JsonNames() {
    }

    static String of(String javaName) {
        StringBuilder snake = new StringBuilder(javaName.length() + 4);
        for (char c : javaName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString().toLowerCase(Locale.ROOT);
    }
}
