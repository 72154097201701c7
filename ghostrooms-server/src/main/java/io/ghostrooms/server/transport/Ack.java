package io.ghostrooms.server.transport;

/** The acknowledgement callback a client may pass with an event; answered at most once. */
public interface Ack {
    /** An event sent without a callback. */
    Ack NONE = new Ack() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public void send(Object payload) {
        }
    };

    /** True when the client is waiting for an answer. */
    boolean requested();

    /** Answers the callback with one argument; ignored when none was requested. */
    void send(Object payload);
}
