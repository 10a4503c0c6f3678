package dev.canopy.core.testing.hostile;

/**
 * The credential a suite request carries. Every row carries {@link #VALID} unless it says otherwise,
 * so that once writes need a key, each row still tests what it was written for; a row about
 * credentials themselves names the one it sends, e.g. {@code .as(Credential.FORGED).expect(401)}.
 */
public enum Credential {
    /** A key this app accepts for the request. */
    VALID,
    /** No Authorization header at all. */
    NONE,
    /** A well-formed key that no one was given. */
    FORGED,
    /** A valid key of another child, for a request about this one's services. */
    OTHER_CHILD
}
