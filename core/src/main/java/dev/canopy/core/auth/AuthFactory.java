package dev.canopy.core.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code auth:} block of an app's YAML: whether keys are asked for, which keys there are, and
 * whether reads need one. Each app takes the kinds its OpenAPI document names, and its configuration
 * refuses to start without a key for them (there is no built-in default key); keys of a kind it never
 * asks for are harmless and unused.
 */
public class AuthFactory {
    public enum Mode { ENABLED, DISABLED }

    public enum ReadAccess { OPEN, KEY }

    @NotNull
    private Mode mode = Mode.ENABLED;

    @NotNull
    private ReadAccess readAccess = ReadAccess.OPEN;

    private final Map<KeyKind, Keys> keys = new EnumMap<>(KeyKind.class);

    public boolean isEnabled() {
        return mode == Mode.ENABLED;
    }

    public boolean readsNeedAKey() {
        return isEnabled() && readAccess == ReadAccess.KEY;
    }

    public Keys keys(KeyKind kind) {
        return keys.getOrDefault(kind, Keys.none());
    }

    /** Is there a key that does for an operation taking {@code kind}: one of that kind, or an admin key? */
    public boolean hasKeyFor(KeyKind kind) {
        return !keys(kind).isEmpty() || !keys(KeyKind.ADMIN).isEmpty();
    }

    public KeyAuthenticator buildAuthenticator() {
        return new KeyAuthenticator(keys);
    }

    @ValidationMethod(message = "auth: CANOPY_READ_ACCESS=key, but there is no read key. Set CANOPY_READ_KEYS "
            + "(and/or CANOPY_ADMIN_KEYS)")
    @JsonIgnore
    public boolean isReadAccessUsable() {
        return !readsNeedAKey() || hasKeyFor(KeyKind.READ);
    }

    @JsonProperty
    public Mode getMode() {
        return mode;
    }

    @JsonProperty
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    @JsonProperty
    public ReadAccess getReadAccess() {
        return readAccess;
    }

    @JsonProperty
    public void setReadAccess(ReadAccess readAccess) {
        this.readAccess = readAccess;
    }

    @JsonProperty
    public void setAdminKeys(Keys adminKeys) {
        set(KeyKind.ADMIN, adminKeys);
    }

    @JsonProperty
    public void setChildKeys(Keys childKeys) {
        set(KeyKind.CHILD, childKeys);
    }

    @JsonProperty
    public void setServiceKeys(Keys serviceKeys) {
        set(KeyKind.SERVICE, serviceKeys);
    }

    @JsonProperty
    public void setReadKeys(Keys readKeys) {
        set(KeyKind.READ, readKeys);
    }

    private void set(KeyKind kind, Keys list) {
        keys.put(kind, list == null ? Keys.none() : list);
    }
}
