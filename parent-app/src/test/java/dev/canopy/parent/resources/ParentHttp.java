package dev.canopy.parent.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.Problem;
import dev.canopy.api.model.RegistrationResult;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;

/** Raw JSON requests to a running parent, the way a client in any language sends them. */
final class ParentHttp {
    private final Client client;
    private final String base;

    ParentHttp(Client client, int port) {
        this.client = client;
        this.base = "http://localhost:" + port;
    }

    String base() {
        return base;
    }

    Response get(String path) {
        return client.target(base + path).request().get();
    }

    Response delete(String path) {
        return client.target(base + path).request().delete();
    }

    Response post(String path, String json) {
        return client.target(base).path(path).request().post(Entity.entity(json, "application/json"));
    }

    Response put(String path, String json) {
        return client.target(base).path(path).request().put(Entity.entity(json, "application/json"));
    }

    String hierarchyJson() {
        return client.target(base + "/api/v1/hierarchy").request().get(String.class);
    }

    RegistrationResult registerOrchestrator(String url, String region, String domain) {
        String json = "{\"url\":\"" + url + "\",\"info\":{}" + (region == null ? "" : ",\"region\":\"" + region + "\"")
                + (domain == null ? "" : ",\"domain\":\"" + domain + "\"") + "}";
        Response response = post("/api/v1/orchestrators/$register", json);
        assertThat(response.getStatus()).isEqualTo(201);
        return response.readEntity(RegistrationResult.class);
    }

    String registerService(String id, String url, String orchestratorId) {
        Response response = post("/api/v1/services/$register", serviceJson(id, url, orchestratorId));
        assertThat(response.getStatus()).isEqualTo(201);
        return response.readEntity(RegistrationResult.class).getId();
    }

    static String serviceJson(String id, String url, String orchestratorId) {
        return "{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"info\":{\"display_name\":\"svc\"},\"orchestrator_id\":\""
                + orchestratorId + "\"}";
    }

    static Problem assertProblem(Response response, int status, String type) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        Problem problem = response.readEntity(Problem.class);
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getType()).isEqualTo(type);
        assertThat(problem.getTitle()).isNotBlank();
        assertThat(problem.getDetail()).isNotBlank();
        return problem;
    }
}
