package io.ghostrooms.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsToAClientOrServerErrorStatus(ErrorCode code) {
        assertTrue(code.httpStatus() >= 400 && code.httpStatus() <= 599,
                code + " has status " + code.httpStatus());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasANonBlankDefaultMessage(ErrorCode code) {
        assertFalse(code.defaultMessage() == null || code.defaultMessage().isBlank(), code.name());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ROOM_NOT_FOUND, 404",
            "ROOM_EXPIRED, 410",
            "ROOM_FULL, 403",
            "NICKNAME_IN_USE, 409",
            "RATE_LIMIT_EXCEEDED, 429",
            "FILE_TOO_LARGE, 413",
            "UNAUTHORIZED, 401",
            "FORBIDDEN, 403",
            "INVALID_ROOM, 400",
            "MISSING_NICKNAME, 400",
            "INVALID_NICKNAME, 400",
            "NOT_FOUND, 404",
            "NO_FILE, 400",
            "INVALID_FILE_TYPE, 400",
            "ROOM_LOCKED, 403",
            "PASSWORD_REQUIRED, 401",
            "WRONG_PASSWORD, 403",
    })
    void compatCodesMapToTheirContractStatus(ErrorCode code, int status) {
        assertEquals(status, code.httpStatus());
    }
}
