package dev.canopy.bench.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * A POST that parses a small JSON body into an object and answers 201 with about 100 bytes, a GET by
 * id and a PUT by id (a heartbeat's shape) that answer about 100 bytes: what a registration, a lookup
 * and a lease renewal cost the stack before Canopy does anything. The bodies go through Jackson both ways, as Canopy's do, so JSON is part of the ceiling.
 */
@Path("/noop")
@Produces(MediaType.APPLICATION_JSON)
public class NoopResource {

    /** The shape of a service registration: parsed, so the POST pays for reading JSON as ours do. */
    public static final class Registration {
        @JsonProperty public String id;
        @JsonProperty public String url;
        @JsonProperty public Map<String, Object> info;
    }

    /** About 100 bytes once serialised, like a small registration answer or service entry. */
    public record Answer(@JsonProperty("id") String id, @JsonProperty("status") String status,
            @JsonProperty("url") String url, @JsonProperty("ttl_seconds") int ttlSeconds) {
    }

    /** About 130 bytes once serialised, the size of a renewed lease. */
    public record Lease(@JsonProperty("id") String id, @JsonProperty("status") String status,
            @JsonProperty("last_ping_at") String lastPingAt, @JsonProperty("expires_at") String expiresAt) {
    }

    private static final String ID = "01JD5Z8Q3M7W8Y6KX2T4R9B1CE";

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Registration registration) {
        if (registration == null || registration.url == null) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        return Response.status(Response.Status.CREATED)
                .entity(new Answer(ID, "registered", registration.url, 30)).build();
    }

    @GET
    @Path("/{id}")
    public Answer lookup(@PathParam("id") String id) {
        return new Answer(id, "alive", "http://bench-service.example:8080/", 30);
    }

    @PUT
    @Path("/{id}/$ping")
    public Lease ping(@PathParam("id") String id) {
        return new Lease(id, "alive", "2026-11-26T07:00:00.000Z", "2026-11-26T07:00:30.000Z");
    }
}
